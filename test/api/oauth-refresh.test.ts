import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import {
  API,
  clientTokenRequest,
  exchangeCode,
  expectOAuthError,
  expectTokens,
  oauthTenant,
  registerClient,
  tenantWithClient,
  verifyWithJwks,
} from "./oauth-token-helpers";
import { claimsOf } from "./token-helpers";

const userinfo = (slug: string, token: string) => call(`/t/${slug}/oauth/userinfo`, { token });

describe("token endpoint: refresh_token (RFC 6749 §6, RFC 9700 §4.14.2)", () => {
  it("rotates the refresh token and keeps the grant's auth_time; the new ID token has no nonce (OIDC Core §12.2)", async () => {
    const { tenant, client } = await tenantWithClient();
    const authTime = Date.now() - 60_000;
    const first = await exchangeCode(tenant, client, { authTime });
    const second = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "" }));
    expect(second.refresh_token).toMatch(/^ort_/);
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.scope).toBe(first.scope);
    const firstClaims = claimsOf(first.access_token);
    const access = claimsOf(second.access_token);
    expect(access).toMatchObject({ sid: firstClaims.sid, client_id: client.client.id, auth_time: Math.floor(authTime / 1000) });
    if (!second.id_token) throw new Error("no id_token");
    const id = await verifyWithJwks(tenant, second.id_token, "JWT", client.client.id);
    expect(id.nonce).toBeUndefined();
    expect(id).toMatchObject({ sub: tenant.user.id, auth_time: Math.floor(authTime / 1000), azp: client.client.id });
    expect((await userinfo(tenant.slug, second.access_token)).status).toBe(200);
  });

  it("reuse of a rotated token revokes the whole grant", async () => {
    const { tenant, client } = await tenantWithClient();
    const first = await exchangeCode(tenant, client);
    const second = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "" }));
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "" }), 400, "invalid_grant");
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: second.refresh_token ?? "" }), 400, "invalid_grant");
    expect((await userinfo(tenant.slug, second.access_token)).status).toBe(401);
  });

  it("scope may narrow but not widen; a refused widening leaves the token usable", async () => {
    const { tenant, client } = await tenantWithClient();
    const first = await exchangeCode(tenant, client, { scope: "openid offline_access read:orders", resources: [API] });
    const wider = await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "", scope: "openid offline_access read:orders write:orders" });
    await expectOAuthError(wider, 400, "invalid_scope");
    const otherResource = await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "", resource: "https://other.example.com/" });
    await expectOAuthError(otherResource, 400, "invalid_target");
    const narrowed = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: first.refresh_token ?? "", scope: "read:orders" }));
    expect(narrowed.scope).toBe("read:orders");
    expect(narrowed.id_token).toBeUndefined();
    expect(claimsOf(narrowed.access_token)).toMatchObject({ scope: "read:orders", aud: API });
    // The grant keeps its scope: the next refresh without `scope` gets all of it back.
    const full = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: narrowed.refresh_token ?? "" }));
    expect(full.scope).toBe("openid offline_access read:orders");
  });

  it("another client presenting the refresh token gets invalid_grant and the grant is revoked", async () => {
    const tenant = await oauthTenant();
    const owner = await registerClient(tenant);
    const thief = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, owner);
    await expectOAuthError(await clientTokenRequest(tenant, thief, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" }), 400, "invalid_grant");
    await expectOAuthError(await clientTokenRequest(tenant, owner, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" }), 400, "invalid_grant");
    expect((await userinfo(tenant.slug, tokens.access_token)).status).toBe(401);
  });

  it("no refresh token without offline_access, nor for a client without the refresh_token grant", async () => {
    const { tenant, client } = await tenantWithClient();
    expect((await exchangeCode(tenant, client, { scope: "openid email" })).refresh_token).toBeUndefined();
    const noRefresh = await registerClient(tenant, { grantTypes: ["authorization_code"] });
    expect((await exchangeCode(tenant, noRefresh)).refresh_token).toBeUndefined();
    const refused = await clientTokenRequest(tenant, noRefresh, { grant_type: "refresh_token", refresh_token: "ort_x" });
    await expectOAuthError(refused, 400, "unauthorized_client");
  });

  it("garbage and first-party-shaped tokens are invalid_grant", async () => {
    const { tenant, client } = await tenantWithClient();
    for (const token of ["nope", `ort_${tenant.user.id}.${"A".repeat(43)}`, tenant.user.refreshToken, tenant.user.refreshToken.replace(/^rt_/, "ort_")]) {
      await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: token }), 400, "invalid_grant");
    }
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "refresh_token" }), 400, "invalid_request");
  });
});
