import { describe, expect, it } from "vitest";
import {
  API,
  clientTokenRequest,
  expectOAuthError,
  expectTokens,
  oauthTenant,
  registerClient,
  tenantWithClient,
  tokenRequest,
  verifyWithJwks,
} from "./oauth-token-helpers";

describe("token endpoint: client_credentials (RFC 6749 §4.4)", () => {
  it("issues an access token whose subject is the client, with no sid, refresh token or ID token", async () => {
    const { tenant, client } = await tenantWithClient({ allowedScopes: ["read:orders", "write:orders"] });
    const tokens = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "read:orders", resource: API }));
    expect(Object.keys(tokens).sort()).toEqual(["access_token", "expires_in", "scope", "token_type"]);
    const claims = await verifyWithJwks(tenant, tokens.access_token, "at+jwt", API);
    expect(claims).toMatchObject({ sub: client.client.id, client_id: client.client.id, scope: "read:orders", aud: API });
    expect(claims.sid).toBeUndefined();
    expect(claims.exp).toBe((claims.iat ?? 0) + 900);
  });

  it("client_secret_post works, and the client's own lifetime applies", async () => {
    const { tenant, client } = await tenantWithClient({ tokenEndpointAuthMethod: "client_secret_post", accessTokenTtlSeconds: 120 });
    const tokens = await expectTokens(
      await tokenRequest(tenant, { grant_type: "client_credentials", client_id: client.client.id, client_secret: client.secret ?? "" }),
    );
    expect(tokens.expires_in).toBe(120);
    // No scope asked: the client's registered API scopes, never the OIDC ones.
    expect(tokens.scope).toBe("read:orders write:orders");
    expect((await verifyWithJwks(tenant, tokens.access_token, "at+jwt", tenant.issuer)).aud).toBe(tenant.issuer);
  });

  it("refuses scopes beyond the client's, OIDC scopes and unknown resources", async () => {
    const { tenant, client } = await tenantWithClient({ allowedScopes: ["read:orders"] });
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "write:orders" }), 400, "invalid_scope");
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "openid" }), 400, "invalid_scope");
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", resource: "https://evil.example.com/" }), 400, "invalid_target");
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", resource: "not a uri" }), 400, "invalid_target");
  });

  it("public clients and clients without the grant may not use it", async () => {
    const tenant = await oauthTenant();
    const publicClient = await registerClient(tenant, { type: "public" });
    const asPublic = await tokenRequest(tenant, { grant_type: "client_credentials", client_id: publicClient.client.id });
    await expectOAuthError(asPublic, 400, "unauthorized_client");
    const codeOnly = await registerClient(tenant, { grantTypes: ["authorization_code"] });
    await expectOAuthError(await clientTokenRequest(tenant, codeOnly, { grant_type: "client_credentials" }), 400, "unauthorized_client");
  });

  it("a client of another tenant is unknown here (invalid_client)", async () => {
    const tenant = await oauthTenant();
    const elsewhere = await oauthTenant();
    const foreign = await registerClient(elsewhere);
    await expectOAuthError(await clientTokenRequest(tenant, foreign, { grant_type: "client_credentials" }), 401, "invalid_client");
  });
});
