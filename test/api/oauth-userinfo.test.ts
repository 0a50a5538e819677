import { describe, expect, it } from "vitest";
import { call, json } from "./helpers";
import { oauthPost } from "./oauth-device-helpers";
import { clientTokenRequest, exchangeCode, expectTokens, oauthTenant, tenantWithClient } from "./oauth-token-helpers";

const userinfo = (slug: string, token?: string, method = "GET") =>
  call(`/t/${slug}/oauth/userinfo`, { method, ...(token ? { token } : {}) });

/** RFC 6750 §3: a 401/403 names the Bearer scheme, and the error when a token was sent. */
function expectChallenge(response: Response, status: number, error: string | null) {
  expect(response.status).toBe(status);
  const challenge = response.headers.get("WWW-Authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer realm="plinto"/);
  if (error === null) expect(challenge).not.toContain("error=");
  else expect(challenge).toContain(`error="${error}"`);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
}

describe("UserInfo endpoint (OIDC Core §5.3)", () => {
  it("returns sub and the claims of the granted scopes, by GET and by POST", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid profile email" });
    const response = await userinfo(tenant.slug, tokens.access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const claims = await json<Record<string, unknown>>(response);
    expect(claims).toEqual({ sub: tenant.user.id, email: tenant.user.email, email_verified: false, updated_at: expect.any(Number) });
    const posted = await oauthPost(tenant, "userinfo", { access_token: tokens.access_token });
    expect(await json(posted)).toEqual(claims);
    const postedWithHeader = await userinfo(tenant.slug, tokens.access_token, "POST");
    expect(await json(postedWithHeader)).toEqual(claims);
  });

  it("openid alone releases only sub", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid" });
    expect(await json(await userinfo(tenant.slug, tokens.access_token))).toEqual({ sub: tenant.user.id });
  });

  it("401 without an error code when no token is sent, invalid_token for a bad one", async () => {
    const tenant = await oauthTenant();
    expectChallenge(await userinfo(tenant.slug), 401, null);
    expectChallenge(await userinfo(tenant.slug, "not-a-token"), 401, "invalid_token");
    expectChallenge(await call(`/t/${tenant.slug}/oauth/userinfo`, { headers: { Authorization: "Bearer" } }), 401, "invalid_token");
  });

  it("403 insufficient_scope for a token without openid", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "read:orders" });
    expectChallenge(await userinfo(tenant.slug, tokens.access_token), 403, "insufficient_scope");
  });

  it("refuses first-party, client-credentials and other tenants' tokens", async () => {
    const { tenant, client } = await tenantWithClient();
    expectChallenge(await userinfo(tenant.slug, tenant.user.accessToken), 401, "invalid_token");
    const machine = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "read:orders" }));
    expectChallenge(await userinfo(tenant.slug, machine.access_token), 401, "invalid_token");
    const tokens = await exchangeCode(tenant, client, { scope: "openid" });
    const other = await oauthTenant();
    expectChallenge(await userinfo(other.slug, tokens.access_token), 401, "invalid_token");
  });

  it("stops answering once the grant is revoked", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    expect((await userinfo(tenant.slug, tokens.access_token)).status).toBe(200);
    const revoked = await oauthPost(tenant, "revoke", { token: tokens.refresh_token ?? "" }, { authorization: `Basic ${btoa(`${client.client.id}:${client.secret}`)}` });
    expect(revoked.status).toBe(200);
    expectChallenge(await userinfo(tenant.slug, tokens.access_token), 401, "invalid_token");
  });

  it("a token in both the header and the body is invalid_request (RFC 6750 §2)", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid" });
    const response = await call(`/t/${tenant.slug}/oauth/userinfo`, {
      method: "POST",
      token: tokens.access_token,
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      rawBody: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("WWW-Authenticate")).toBe('Bearer realm="plinto", error="invalid_request"');
    expect((await json<{ error: string }>(response)).error).toBe("invalid_request");
  });
});
