import { accessTokenHash, verifyOAuthAccessToken } from "@plinto/core";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { call, json } from "./helpers";
import {
  API,
  basic,
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
  scopeOf,
  tenantWithClient,
  tokenRequest,
  verifyWithJwks,
} from "./oauth-token-helpers";
import { clockedApp, expectInvalidToken, me } from "./token-helpers";

describe("token endpoint: authorization_code + PKCE (RFC 6749 §4.1.3, RFC 7636 §4.6)", () => {
  it("issues an RFC 9068 access token, an OIDC ID token and an ort_ refresh token", async () => {
    const { tenant, client } = await tenantWithClient();
    const authTime = Date.now() - 30_000;
    const tokens = await exchangeCode(tenant, client, { authTime });
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 900, scope: "openid profile email offline_access read:orders" });
    expect(tokens.refresh_token).toMatch(/^ort_usr_[0-9A-Z]{26}\.[A-Za-z0-9_-]{43}$/);

    const access = await verifyWithJwks(tenant, tokens.access_token, "at+jwt", tenant.issuer);
    expect(access).toMatchObject({ sub: tenant.user.id, client_id: client.client.id, scope: tokens.scope, amr: ["pwd"], auth_time: Math.floor(authTime / 1000) });
    expect(access.sid).toMatch(/^ses_/);

    if (!tokens.id_token) throw new Error("no id_token");
    const id = await verifyWithJwks(tenant, tokens.id_token, "JWT", client.client.id);
    expect(id).toMatchObject({
      sub: tenant.user.id,
      azp: client.client.id,
      nonce: "n-0S6_WzA2Mj",
      auth_time: Math.floor(authTime / 1000),
      amr: ["pwd"],
      email: tenant.user.email,
      email_verified: false,
      sid: access.sid,
      at_hash: await accessTokenHash("RS256", tokens.access_token),
    });
    expect(id.exp).toBe((id.iat ?? 0) + 900);
  });

  it("names the requested resource (RFC 8707) as audience, with the issuer for userinfo when openid was granted", async () => {
    const { tenant, client } = await tenantWithClient();
    const apiOnly = await exchangeCode(tenant, client, { scope: "read:orders", resources: [API] });
    expect((await verifyWithJwks(tenant, apiOnly.access_token, "at+jwt", API)).aud).toBe(API);
    expect(apiOnly.id_token).toBeUndefined();
    expect(apiOnly.refresh_token).toBeUndefined();
    const withOpenId = await exchangeCode(tenant, client, { scope: "openid read:orders", resources: [API] });
    expect((await verifyWithJwks(tenant, withOpenId.access_token, "at+jwt", API)).aud).toEqual([API, tenant.issuer]);
  });

  it("refuses a redirect_uri that differs from the authorization request's", async () => {
    const { tenant, client } = await tenantWithClient();
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
    const response = await clientTokenRequest(tenant, client, {
      grant_type: "authorization_code",
      code,
      redirect_uri: `${REDIRECT_URI}/other`,
      code_verifier: verifier,
    });
    await expectOAuthError(response, 400, "invalid_grant");
  });

  it("requires PKCE: a missing, wrong, malformed or plain (verifier = challenge) verifier fails", async () => {
    const { tenant, client } = await tenantWithClient();
    const cases: [string | undefined, string][] = [
      [undefined, "invalid_grant"],
      ["A".repeat(43), "invalid_grant"],
      ["short", "invalid_request"],
      ["has spaces in it which are not unreserved characters at all!!", "invalid_request"],
    ];
    for (const [verifier, error] of cases) {
      const { challenge } = await pkce();
      const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
      const form: Record<string, string> = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI };
      if (verifier !== undefined) form.code_verifier = verifier;
      await expectOAuthError(await clientTokenRequest(tenant, client, form), 400, error);
    }
    // `plain` would accept the challenge itself as verifier; only S256 is supported.
    const { challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
    const plain = await clientTokenRequest(tenant, client, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: challenge });
    await expectOAuthError(plain, 400, "invalid_grant");
  });

  it("a code issued without a challenge refuses a verifier (PKCE downgrade) and is never good for a public client", async () => {
    const { tenant, client } = await tenantWithClient();
    const { verifier } = await pkce();
    const form = (code: string) => ({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
    const downgrade = await issueCode(tenant, codeData(tenant, client.client, ""));
    await expectOAuthError(await clientTokenRequest(tenant, client, { ...form(downgrade), code_verifier: verifier }), 400, "invalid_grant");
    const publicClient = await registerClient(tenant, { type: "public" });
    const unbound = await issueCode(tenant, codeData(tenant, publicClient.client, ""));
    await expectOAuthError(await tokenRequest(tenant, { ...form(unbound), client_id: publicClient.client.id }), 400, "invalid_grant");
  });

  it("a reused code fails and revokes what it issued: access token, session and refresh token", async () => {
    const { tenant, client } = await tenantWithClient();
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    const tokens = await expectTokens(await clientTokenRequest(tenant, client, form));
    const deps = await buildDeps(env);
    const scope = await scopeOf(tenant);
    await expect(verifyOAuthAccessToken(deps, scope, tokens.access_token)).resolves.toMatchObject({ client_id: client.client.id });
    expect((await call(`/t/${tenant.slug}/oauth/userinfo`, { token: tokens.access_token })).status).toBe(200);

    const replay = await expectOAuthError(await clientTokenRequest(tenant, client, form), 400, "invalid_grant");
    expect(replay.error_description).toContain("already used");
    await expect(verifyOAuthAccessToken(deps, scope, tokens.access_token)).rejects.toMatchObject({ code: "invalid_token" });
    expect((await call(`/t/${tenant.slug}/oauth/userinfo`, { token: tokens.access_token })).status).toBe(401);
    const refreshed = await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" });
    await expectOAuthError(refreshed, 400, "invalid_grant");
    // A third try finds neither the code nor the marker.
    await expectOAuthError(await clientTokenRequest(tenant, client, form), 400, "invalid_grant");
  });

  it("refuses an expired code (60 s)", async () => {
    const { clock, call: send } = clockedApp();
    const { tenant, client } = await tenantWithClient();
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge), clock);
    clock.advance(61_000);
    const response = await clientTokenRequest(tenant, client, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, send);
    await expectOAuthError(response, 400, "invalid_grant");
  });

  it("a code issued at 59 s is still good", async () => {
    const { clock, call: send } = clockedApp();
    const { tenant, client } = await tenantWithClient();
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge), clock);
    clock.advance(59_000);
    await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }, send));
  });

  it("refuses scope escalation at the token endpoint (scope may only narrow)", async () => {
    const { tenant, client } = await tenantWithClient();
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge, { scope: "openid read:orders" }));
    const wider = await clientTokenRequest(tenant, client, {
      grant_type: "authorization_code",
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
      scope: "openid read:orders write:orders",
    });
    await expectOAuthError(wider, 400, "invalid_scope");
    const narrowed = await exchangeCode(tenant, client, { scope: "openid read:orders" });
    expect(narrowed.scope).toBe("openid read:orders");
  });

  it("a code issued to one client cannot be redeemed by another, nor at another tenant", async () => {
    const tenant = await oauthTenant();
    const owner = await registerClient(tenant);
    const other = await registerClient(tenant);
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, owner.client, challenge));
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    await expectOAuthError(await clientTokenRequest(tenant, other, form), 400, "invalid_grant");

    const elsewhere = await oauthTenant();
    const foreign = await registerClient(elsewhere);
    const code2 = await issueCode(tenant, codeData(tenant, owner.client, challenge));
    const form2 = { ...form, code: code2 };
    await expectOAuthError(await clientTokenRequest(elsewhere, foreign, form2), 400, "invalid_grant");
    // The tenant's own client at the other tenant's endpoint is unknown there.
    await expectOAuthError(await clientTokenRequest(elsewhere, owner, form2), 401, "invalid_client");
  });
});

describe("token endpoint: client authentication and request hygiene", () => {
  it("a wrong client secret is 401 invalid_client with a Basic challenge (RFC 6749 §5.2)", async () => {
    const { tenant, client } = await tenantWithClient();
    const response = await tokenRequest(tenant, { grant_type: "client_credentials" }, { authorization: basic(client.client.id, "cs_wrong") });
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Basic realm="plinto"/);
    const body = await expectOAuthError(response, 401, "invalid_client");
    expect(JSON.stringify(body)).not.toContain("cs_wrong");
    const post = await tokenRequest(tenant, { grant_type: "client_credentials", client_id: client.client.id, client_secret: "cs_wrong" });
    expect(post.headers.get("WWW-Authenticate")).toBeNull();
    await expectOAuthError(post, 401, "invalid_client");
  });

  it("refuses repeated parameters, a missing or unknown grant_type and a JSON body", async () => {
    const { tenant, client } = await tenantWithClient();
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: ["client_credentials", "client_credentials"] }), 400, "invalid_request");
    await expectOAuthError(await clientTokenRequest(tenant, client, {}), 400, "invalid_request");
    await expectOAuthError(await clientTokenRequest(tenant, client, { grant_type: "password" }), 400, "unsupported_grant_type");
    const jsonBody = await call(`/t/${tenant.slug}/oauth/token`, {
      body: { grant_type: "client_credentials" },
      headers: { Authorization: basic(client.client.id, client.secret ?? "") },
    });
    await expectOAuthError(jsonBody, 400, "invalid_request");
    const wrongMedia = await call(`/t/${tenant.slug}/oauth/token`, { method: "POST", rawBody: "x", headers: { "Content-Type": "text/plain" } });
    await expectOAuthError(wrongMedia, 415, "invalid_request");
    await expectOAuthError(await call(`/t/${tenant.slug}/oauth/token`), 404, "invalid_request");
    // Raised before the OAuth router runs (unknown tenant): still an RFC 6749 body, by path.
    await expectOAuthError(await tokenRequest({ ...tenant, slug: "no-such-tenant-here" }, { grant_type: "client_credentials" }), 404, "invalid_request");
    // Off the OAuth endpoints the same catalog renders as problem+json.
    const problem = await call(`${tenant.base}/sessions/refresh`, { body: {} });
    expect(problem.headers.get("Content-Type")).toContain("application/problem+json");
  });

  it("a client not registered for a grant is unauthorized_client", async () => {
    const { tenant, client } = await tenantWithClient({ grantTypes: ["client_credentials"] });
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
    const response = await clientTokenRequest(tenant, client, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier });
    await expectOAuthError(response, 400, "unauthorized_client");
  });

  it("a public client redeems its code with client_id and PKCE alone", async () => {
    const { tenant, client } = await tenantWithClient({ type: "public", grantTypes: ["authorization_code", "refresh_token"] });
    const { verifier, challenge } = await pkce();
    const code = await issueCode(tenant, codeData(tenant, client.client, challenge));
    const form = { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: client.client.id };
    const tokens = await expectTokens(await tokenRequest(tenant, form));
    expect(tokens.refresh_token).toMatch(/^ort_/);
  });
});

describe("first-party and OAuth tokens stay apart", () => {
  it("a first-party refresh token is refused at /oauth/token and an OAuth one at /sessions/refresh", async () => {
    const { tenant, client } = await tenantWithClient();
    const firstParty = await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: tenant.user.refreshToken });
    await expectOAuthError(firstParty, 400, "invalid_grant");
    const tokens = await exchangeCode(tenant, client);
    const response = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tokens.refresh_token } });
    expect(response.status).toBe(401);
    expect((await json<{ code: string }>(response)).code).toBe("invalid_refresh_token");
    // The first-party token was not consumed by the refused attempt, nor the OAuth one.
    const again = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: tenant.user.refreshToken } });
    expect(again.status).toBe(200);
    await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" }));
  });

  it("an OAuth access token cannot call the first-party API", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client);
    await expectInvalidToken(await me(tenant, tokens.access_token));
    const machine = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials" }));
    await expectInvalidToken(await me(tenant, machine.access_token));
  });
});
