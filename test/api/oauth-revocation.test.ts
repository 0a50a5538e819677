import { describe, expect, it, vi } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { call, json, type TestTenant } from "./helpers";
import { oauthPost } from "./oauth-device-helpers";
import {
  basic,
  clientAuth,
  clientTokenRequest,
  codeData,
  exchangeCode,
  expectOAuthError,
  expectTokens,
  issueCode,
  oauthTenant,
  pkce,
  REDIRECT_URI,
  registerClient,
  tenantWithClient,
  type TestClient,
  tokenRequest,
} from "./oauth-token-helpers";

async function revoke(tenant: TestTenant, client: TestClient, form: Record<string, string>) {
  const response = await oauthPost(tenant, "revoke", form, clientAuth(client));
  expect(response.status, await response.clone().text()).toBe(200);
}

async function isActive(tenant: TestTenant, client: TestClient, token: string): Promise<boolean> {
  const response = await oauthPost(tenant, "introspect", { token }, clientAuth(client));
  return (await json<{ active: boolean }>(response)).active;
}

describe("token revocation (RFC 7009)", () => {
  it("revoking a refresh token ends the grant: refresh, access token and userinfo stop working", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    await revoke(tenant, client, { token: tokens.refresh_token ?? "", token_type_hint: "refresh_token" });
    expect(await isActive(tenant, client, tokens.refresh_token ?? "")).toBe(false);
    expect(await isActive(tenant, client, tokens.access_token)).toBe(false);
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" }), 400, "invalid_grant");
    expect((await call(`/t/${tenant.slug}/oauth/userinfo`, { token: tokens.access_token })).status).toBe(401);
    // Audited after the response, without the token itself.
    await vi.waitFor(async () => {
      const [event, ...more] = await allAuditEvents(tenant, { type: "oauth.token_revoked" });
      expect(more).toEqual([]);
      expect(event?.subject_id).toBe(tenant.user.id);
      expect(event?.data).toEqual({ client_id: client.client.id, session_id: expect.stringMatching(/^ses_/) });
    });
  });

  it("revoking a user grant's access token ends its session too (and the wrong hint does not matter)", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    await revoke(tenant, client, { token: tokens.access_token, token_type_hint: "refresh_token" });
    expect(await isActive(tenant, client, tokens.access_token)).toBe(false);
    expect(await isActive(tenant, client, tokens.refresh_token ?? "")).toBe(false);
  });

  it("a client-credentials token is put on the revocation list by jti", async () => {
    const { tenant, client } = await tenantWithClient();
    const machine = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "read:orders" }));
    const before = await json<{ jti: string; active: boolean }>(await oauthPost(tenant, "introspect", { token: machine.access_token }, clientAuth(client)));
    expect(before.active).toBe(true);
    await revoke(tenant, client, { token: machine.access_token });
    expect(await isActive(tenant, client, machine.access_token)).toBe(false);
    const snapshot = await json<{ tokens: Record<string, number> }>(await call(`/t/${tenant.slug}/api/v1/revocations`));
    expect(Object.keys(snapshot.tokens)).toContain(before.jti);
  });

  it("200 for unknown and invalid tokens; another client's token is left alone", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const other = await registerClient(tenant);
    await revoke(tenant, client, { token: "nothing-we-issued" });
    await revoke(tenant, other, { token: tokens.refresh_token ?? "" });
    await revoke(tenant, other, { token: tokens.access_token });
    expect(await isActive(tenant, client, tokens.refresh_token ?? "")).toBe(true);
    expect(await isActive(tenant, client, tokens.access_token)).toBe(true);
    // First-party tokens are not the provider's to revoke here.
    await revoke(tenant, client, { token: tenant.user.refreshToken });
    expect((await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tenant.user.refreshToken } })).status).toBe(200);
  });

  it("another tenant's client cannot revoke this tenant's tokens", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const other = await oauthTenant();
    const foreign = await registerClient(other);
    await revoke(other, foreign, { token: tokens.refresh_token ?? "" });
    await revoke(other, foreign, { token: tokens.access_token });
    await expectOAuthError(await oauthPost(other, "revoke", { token: tokens.access_token }, clientAuth(client)), 401, "invalid_client");
    expect(await isActive(tenant, client, tokens.refresh_token ?? "")).toBe(true);
  });

  it("public clients revoke their own tokens with client_id alone (RFC 7009 §2.1)", async () => {
    const { tenant, client } = await tenantWithClient({ type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge, { scope: "openid offline_access" }));
    const tokens = await expectTokens(
      await tokenRequest(tenant, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.client.id }),
    );
    const response = await oauthPost(tenant, "revoke", { token: tokens.refresh_token ?? "", client_id: client.client.id });
    expect(response.status).toBe(200);
    await expectOAuthError(
      await tokenRequest(tenant, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "", client_id: client.client.id }),
      400,
      "invalid_grant",
    );
  });

  it("needs a token and an authenticated client", async () => {
    const { tenant, client } = await tenantWithClient();
    await expectOAuthError(await oauthPost(tenant, "revoke", {}, clientAuth(client)), 400, "invalid_request");
    await expectOAuthError(await oauthPost(tenant, "revoke", { token: "x" }), 401, "invalid_client");
    await expectOAuthError(await oauthPost(tenant, "revoke", { token: "x" }, { authorization: basic(client.client.id, "cs_wrong") }), 401, "invalid_client");
  });
});
