// A certified relying party (openid-client v6) signs a user in through the tenant's OpenID Provider on
// the running stack: discovery, authorization code + PKCE + nonce + state through the hosted login
// pages (an HTTP-level browser), token exchange, userinfo, refresh rotation and reuse detection,
// introspection, revocation and RP-initiated logout.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { before, describe, test } from "node:test";
import * as client from "openid-client";
import { HttpBrowser } from "./http-browser.mjs";
import { completeHostedLogin, createClient, createTenant, createUser, oauthErrorOf, relyingParty } from "./oidc-fixture.mjs";
import { freePort, useStack } from "./stack-fixture.mjs";

const stack = useStack({ slug: "rp-demo" });
const rp = {};

// Root-level before() hooks run concurrently in node:test, so the suite waits for the stack in a describe.
describe("a relying party signs a user in (openid-client)", () => {
  before(async () => {
    rp.tenant = await createTenant(stack, "relying-party");
    rp.user = await createUser(stack, rp.tenant, "ada@example.com");
    const origin = `http://localhost:${await freePort()}`;
    rp.redirectUri = `${origin}/cb`;
    rp.postLogoutRedirectUri = `${origin}/signed-out`;
    rp.registered = await createClient(stack, rp.tenant, {
      name: "Example relying party",
      type: "confidential",
      first_party: false,
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: [rp.redirectUri],
      post_logout_redirect_uris: [rp.postLogoutRedirectUri],
      grant_types: ["authorization_code", "refresh_token"],
      allowed_scopes: ["openid", "profile", "email", "offline_access"],
    });
    rp.config = await relyingParty(rp.tenant, rp.registered.client_id, undefined, client.ClientSecretBasic(rp.registered.client_secret));
    // The user's browser: it stops where the provider sends it back to the relying party.
    rp.browser = new HttpBrowser({ stopAt: (url) => url.startsWith(rp.redirectUri) || url.startsWith(rp.postLogoutRedirectUri) });
  });

  /** An authorization request with fresh PKCE (RFC 7636 §4.1-4.2, S256), state and nonce. */
  async function authorizationRequest(parameters = {}) {
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const url = client.buildAuthorizationUrl(rp.config, {
      redirect_uri: rp.redirectUri,
      scope: "openid profile email offline_access",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      nonce,
      ...parameters,
    });
    return { url, checks: { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true } };
  }

  /** Signs in (or reuses the browser's login session) and redeems the code with openid-client. */
  async function signIn(parameters) {
    const request = await authorizationRequest(parameters);
    const callback = await completeHostedLogin(rp.browser, await rp.browser.navigate(request.url.href), rp.user);
    return { callback, tokens: await client.authorizationCodeGrant(rp.config, callback, request.checks) };
  }

  /** OIDC Core §3.1.3.6: at_hash is the base64url left half of the SHA-256 of the access token (RS256/ES256). */
  const atHash = (accessToken) => createHash("sha256").update(accessToken).digest().subarray(0, 16).toString("base64url");

  test("discovery names the tenant's issuer and every endpoint the relying party uses", () => {
    const metadata = rp.config.serverMetadata();
    const issuer = rp.tenant.issuer;
    assert.equal(metadata.issuer, issuer);
    assert.equal(metadata.authorization_endpoint, `${issuer}/oauth/authorize`);
    assert.equal(metadata.token_endpoint, `${issuer}/oauth/token`);
    assert.equal(metadata.userinfo_endpoint, `${issuer}/oauth/userinfo`);
    assert.equal(metadata.jwks_uri, `${issuer}/.well-known/jwks.json`);
    assert.equal(metadata.end_session_endpoint, `${issuer}/oauth/end_session`);
    assert.equal(metadata.authorization_response_iss_parameter_supported, true);
    assert.deepEqual(metadata.code_challenge_methods_supported, ["S256"]);
    assert.ok(metadata.supportsPKCE());
  });

  test("the RFC 8414 §3.1 metadata location serves the same issuer", async () => {
    const response = await fetch(`${stack.url}/.well-known/oauth-authorization-server/t/${rp.tenant.slug}`);
    assert.equal(response.status, 200);
    const metadata = await response.json();
    assert.equal(metadata.issuer, rp.tenant.issuer);
    assert.equal(metadata.token_endpoint, rp.config.serverMetadata().token_endpoint);
  });

  test("authorization code + PKCE + nonce + state through the hosted login, checked by openid-client", async () => {
    const { callback, tokens } = await signIn();
    // The user saw the sign-in page, then the consent screen (a third-party client).
    const shown = rp.browser.history.filter((entry) => entry.startsWith("GET ") && entry.endsWith(" 200"));
    assert.deepEqual(shown, [`GET /t/${rp.tenant.slug}/login 200`, `GET /t/${rp.tenant.slug}/login/consent 200`]);
    // RFC 9207 §2: the authorization response names the issuer (openid-client compares it too).
    assert.equal(callback.searchParams.get("iss"), rp.tenant.issuer);
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.ok(tokens.refresh_token, "offline_access was granted");
    assert.deepEqual(tokens.scope.split(" ").sort(), ["email", "offline_access", "openid", "profile"]);
    const claims = tokens.claims();
    assert.equal(claims.iss, rp.tenant.issuer);
    assert.equal(claims.sub, rp.user.id);
    assert.equal(claims.aud, rp.registered.client_id);
    assert.equal(claims.at_hash, atHash(tokens.access_token));
    assert.equal(typeof claims.auth_time, "number");
    assert.ok(claims.amr.includes("pwd"), JSON.stringify(claims.amr));
    assert.equal(claims.email, rp.user.email);
    rp.tokens = tokens;
  });

  test("userinfo answers the granted claims for the access token's subject", async () => {
    const userinfo = await client.fetchUserInfo(rp.config, rp.tokens.access_token, rp.user.id);
    assert.equal(userinfo.sub, rp.user.id);
    assert.equal(userinfo.email, rp.user.email);
    assert.equal(userinfo.email_verified, true);
    assert.equal(userinfo.name, "Ada Lovelace");
  });

  test("a refresh rotates the refresh token; replaying the old one fails and revokes the grant", async () => {
    const refreshed = await client.refreshTokenGrant(rp.config, rp.tokens.refresh_token);
    assert.ok(refreshed.refresh_token);
    assert.notEqual(refreshed.refresh_token, rp.tokens.refresh_token);
    assert.notEqual(refreshed.access_token, rp.tokens.access_token);
    assert.equal(refreshed.claims()?.sub ?? rp.user.id, rp.user.id);
    await client.fetchUserInfo(rp.config, refreshed.access_token, rp.user.id);

    const replayed = await oauthErrorOf(client.refreshTokenGrant(rp.config, rp.tokens.refresh_token));
    assert.equal(replayed.status, 400);
    assert.equal(replayed.error, "invalid_grant");
    // Reuse detection (RFC 9700 §4.14.2): the whole family is revoked, the rotated token too.
    const rotated = await oauthErrorOf(client.refreshTokenGrant(rp.config, refreshed.refresh_token));
    assert.equal(rotated.error, "invalid_grant");
    assert.equal((await client.tokenIntrospection(rp.config, refreshed.access_token)).active, false);
  });

  test("introspection reports live tokens; after revocation of the refresh token both are inactive", async () => {
    // The browser still holds the login session and consent is remembered: no page is shown this time.
    rp.browser.history.length = 0;
    const { tokens } = await signIn();
    assert.deepEqual(rp.browser.history, [`GET /t/${rp.tenant.slug}/oauth/authorize 302`]);
    const access = await client.tokenIntrospection(rp.config, tokens.access_token, { token_type_hint: "access_token" });
    assert.equal(access.active, true);
    assert.equal(access.client_id, rp.registered.client_id);
    assert.equal(access.sub, rp.user.id);
    assert.equal(access.iss, rp.tenant.issuer);
    assert.deepEqual(access.scope.split(" ").sort(), ["email", "offline_access", "openid", "profile"]);
    assert.ok(access.exp > Date.now() / 1000);
    const refresh = await client.tokenIntrospection(rp.config, tokens.refresh_token, { token_type_hint: "refresh_token" });
    assert.equal(refresh.active, true);
    assert.equal(refresh.client_id, rp.registered.client_id);

    await client.tokenRevocation(rp.config, tokens.refresh_token, { token_type_hint: "refresh_token" });
    assert.equal((await client.tokenIntrospection(rp.config, tokens.refresh_token)).active, false);
    // RFC 7009 §2.1: revoking the refresh token also invalidates the access tokens of its grant.
    assert.equal((await client.tokenIntrospection(rp.config, tokens.access_token)).active, false);
    const refreshAfter = await oauthErrorOf(client.refreshTokenGrant(rp.config, tokens.refresh_token));
    assert.equal(refreshAfter.error, "invalid_grant");
    // Revoking an already revoked (or unknown) token still answers 200 (RFC 7009 §2.2).
    await client.tokenRevocation(rp.config, tokens.refresh_token);
  });

  test("an access token revoked on its own is inactive and refused by userinfo", async () => {
    const { tokens } = await signIn();
    await client.tokenRevocation(rp.config, tokens.access_token, { token_type_hint: "access_token" });
    assert.equal((await client.tokenIntrospection(rp.config, tokens.access_token)).active, false);
    await assert.rejects(client.fetchUserInfo(rp.config, tokens.access_token, rp.user.id), (error) => error.status === 401);
  });

  test("a public client (token_endpoint_auth_method none) signs in with PKCE alone, in the same login session", async () => {
    const registered = await createClient(stack, rp.tenant, {
      name: "Single-page app",
      type: "public",
      first_party: true,
      token_endpoint_auth_method: "none",
      redirect_uris: [rp.redirectUri],
      grant_types: ["authorization_code"],
      allowed_scopes: ["openid", "email"],
    });
    assert.equal(registered.client_secret, undefined);
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.None());
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: rp.redirectUri,
      scope: "openid email",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
    });
    rp.browser.history.length = 0;
    const callback = await completeHostedLogin(rp.browser, await rp.browser.navigate(url.href), rp.user);
    assert.deepEqual(rp.browser.history, [`GET /t/${rp.tenant.slug}/oauth/authorize 302`], "signed in already, first-party: no page");
    const tokens = await client.authorizationCodeGrant(config, callback, { pkceCodeVerifier: verifier, expectedState: state, idTokenExpected: true });
    assert.equal(tokens.claims().sub, rp.user.id);
    assert.equal(tokens.claims().aud, registered.client_id);
    assert.equal(tokens.refresh_token, undefined, "no offline_access, no refresh token");
  });

  test("RP-initiated logout ends the login session and its grants; prompt=none then answers login_required", async () => {
    // While the login session lives, prompt=none (OIDC Core §3.1.2.1) signs in silently.
    const { tokens } = await signIn({ prompt: "none" });
    const oldCookies = rp.browser.jar.clone();
    const state = client.randomState();
    const endSession = client.buildEndSessionUrl(rp.config, {
      id_token_hint: tokens.id_token,
      post_logout_redirect_uri: rp.postLogoutRedirectUri,
      state,
    });
    // A valid id_token_hint names the session, so the provider signs out without a confirmation page.
    const page = await rp.browser.navigate(endSession.href);
    assert.equal(page.status, 302);
    const back = new URL(page.location);
    assert.equal(`${back.origin}${back.pathname}`, rp.postLogoutRedirectUri);
    assert.equal(back.searchParams.get("state"), state);
    // The grant issued from that login session is revoked with it.
    assert.equal((await client.tokenIntrospection(rp.config, tokens.access_token)).active, false);

    for (const browser of [rp.browser, new HttpBrowser({ jar: oldCookies, stopAt: rp.browser.stopAt })]) {
      const request = await authorizationRequest({ prompt: "none" });
      const answer = await browser.navigate(request.url.href);
      assert.ok(answer.location?.startsWith(rp.redirectUri), `expected a redirect to the client, got ${answer.status} ${answer.location}`);
      const error = new URL(answer.location).searchParams;
      assert.equal(error.get("error"), "login_required");
      assert.equal(error.get("state"), request.checks.expectedState);
      assert.equal(error.get("iss"), rp.tenant.issuer);
    }
  });
});
