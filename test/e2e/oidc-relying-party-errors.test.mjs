// What the provider refuses, seen from a relying party (openid-client v6, or raw HTTP where the
// library would refuse to send the request): redirect_uri mismatch and unknown or foreign clients at
// /authorize (error page, no redirect), missing or plain PKCE and scope escalation (errors sent back to
// the client with state and iss), a wrong code_verifier, a replayed code (and the tokens it revokes),
// a wrong client secret and another tenant's client at the token endpoint.
// Expired codes are covered by the API tests, where time is injected.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import * as client from "openid-client";
import { HttpBrowser } from "./http-browser.mjs";
import { completeHostedLogin, createClient, createTenant, createUser, oauthErrorOf, relyingParty } from "./oidc-fixture.mjs";
import { freePort, useStack } from "./stack-fixture.mjs";

const stack = useStack({ slug: "errors-demo" });
const rp = {};

const webClient = (redirectUri, extra = {}) => ({
  name: "Web app",
  type: "confidential",
  first_party: true,
  token_endpoint_auth_method: "client_secret_basic",
  redirect_uris: [redirectUri],
  grant_types: ["authorization_code", "refresh_token"],
  allowed_scopes: ["openid", "profile", "email", "offline_access"],
  ...extra,
});

// Root-level before() hooks run concurrently in node:test, so the suite waits for the stack in a describe.
describe("what the provider refuses a relying party", () => {
  before(async () => {
    rp.tenant = await createTenant(stack, "rp-errors");
    rp.elsewhere = await createTenant(stack, "rp-elsewhere");
    rp.user = await createUser(stack, rp.tenant, "alan@example.com");
    rp.origin = `http://localhost:${await freePort()}`;
    rp.redirectUri = `${rp.origin}/cb`;
    rp.registered = await createClient(stack, rp.tenant, webClient(rp.redirectUri));
    rp.narrow = await createClient(stack, rp.tenant, webClient(rp.redirectUri, { name: "Narrow app", allowed_scopes: ["openid"] }));
    rp.foreign = await createClient(stack, rp.elsewhere, webClient(rp.redirectUri, { name: "Another tenant's app", grant_types: ["authorization_code", "refresh_token", "client_credentials"] }));
    rp.config = await relyingParty(rp.tenant, rp.registered.client_id, undefined, client.ClientSecretBasic(rp.registered.client_secret));
    // Stops at anything on the client's origin, so a redirect to an unregistered URI there is seen too.
    rp.browser = new HttpBrowser({ stopAt: (url) => url.startsWith(rp.origin) });
  });

  /** An authorization URL at the tenant's endpoint with PKCE S256, state and nonce, `overrides` applied (null removes). */
  async function authorizationRequest(overrides = {}, config = rp.config) {
    const verifier = client.randomPKCECodeVerifier();
    const parameters = {
      client_id: config.clientMetadata().client_id,
      redirect_uri: rp.redirectUri,
      response_type: "code",
      scope: "openid email offline_access",
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: client.randomState(),
      nonce: client.randomNonce(),
      ...overrides,
    };
    const url = new URL(config.serverMetadata().authorization_endpoint);
    for (const [name, value] of Object.entries(parameters)) if (value !== null) url.searchParams.set(name, value);
    return { url, checks: { pkceCodeVerifier: verifier, expectedState: parameters.state, expectedNonce: parameters.nonce } };
  }

  /** A fresh code for the web client through the hosted login (the browser signs in once, then reuses its session). */
  async function freshCode() {
    const request = await authorizationRequest();
    const callback = await completeHostedLogin(rp.browser, await rp.browser.navigate(request.url.href), rp.user);
    return { callback, checks: request.checks };
  }

  /** RFC 6749 §4.1.2.1: an error sent back to the client's redirect URI, with state and iss (RFC 9207 §2). */
  async function redirectedError(request) {
    const page = await new HttpBrowser({ stopAt: rp.browser.stopAt }).navigate(request.url.href);
    assert.ok(page.location?.startsWith(`${rp.redirectUri}?`), `expected a redirect to the client, got ${page.status} ${page.location}`);
    const answer = new URL(page.location).searchParams;
    assert.equal(answer.get("state"), request.checks.expectedState);
    assert.equal(answer.get("iss"), rp.tenant.issuer);
    assert.equal(answer.get("code"), null);
    return answer.get("error");
  }

  /** RFC 6749 §4.1.2.1: with no trustworthy redirect URI the user sees an error page and is not redirected. */
  async function errorPage(request) {
    const page = await new HttpBrowser({ stopAt: rp.browser.stopAt }).navigate(request.url.href);
    assert.equal(page.location, null, `must not redirect, went to ${page.location}`);
    assert.ok(page.status >= 400 && page.status < 500, `status ${page.status}`);
    assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
    return page;
  }

  test("redirect_uri mismatch: an error page, never a redirect to the unregistered URI", async () => {
    await errorPage(await authorizationRequest({ redirect_uri: `${rp.origin}/evil` }));
    await errorPage(await authorizationRequest({ redirect_uri: `${rp.redirectUri}/` }));
    await errorPage(await authorizationRequest({ redirect_uri: `${rp.redirectUri}?next=/` }));
    await errorPage(await authorizationRequest({ redirect_uri: null }));
  });

  test("an unknown client or another tenant's client at /authorize gets the error page", async () => {
    await errorPage(await authorizationRequest({ client_id: "cli_01J00000000000000000000000" }));
    await errorPage(await authorizationRequest({ client_id: rp.foreign.client_id }));
  });

  test("missing or plain PKCE is refused back to the client with invalid_request", async () => {
    assert.equal(await redirectedError(await authorizationRequest({ code_challenge: null, code_challenge_method: null })), "invalid_request");
    const plain = await authorizationRequest({ code_challenge_method: "plain" });
    plain.url.searchParams.set("code_challenge", client.randomPKCECodeVerifier());
    assert.equal(await redirectedError(plain), "invalid_request");
  });

  test("scope escalation: a scope the client was not allowed is invalid_scope", async () => {
    const narrow = await relyingParty(rp.tenant, rp.narrow.client_id, undefined, client.ClientSecretBasic(rp.narrow.client_secret));
    assert.equal(await redirectedError(await authorizationRequest({ scope: "openid offline_access" }, narrow)), "invalid_scope");
    assert.equal(await redirectedError(await authorizationRequest({ scope: "openid admin:everything" })), "invalid_scope");
  });

  test("scope escalation at the token endpoint: a refresh may only narrow, client credentials only the allowed scopes", async () => {
    const { callback, checks } = await freshCode();
    const tokens = await client.authorizationCodeGrant(rp.config, callback, checks);
    const widened = await oauthErrorOf(client.refreshTokenGrant(rp.config, tokens.refresh_token, { scope: "openid email profile offline_access" }));
    assert.equal(widened.error, "invalid_scope");
    // RFC 6749 §6: a narrower scope is fine, and the refused request did not spend the token.
    const narrowed = await client.refreshTokenGrant(rp.config, tokens.refresh_token, { scope: "openid offline_access" });
    assert.equal(narrowed.scope, "openid offline_access");

    const home = await relyingParty(rp.elsewhere, rp.foreign.client_id, undefined, client.ClientSecretBasic(rp.foreign.client_secret));
    assert.equal((await oauthErrorOf(client.clientCredentialsGrant(home, { scope: "admin:everything" }))).error, "invalid_scope");
  });

  test("a wrong code_verifier is invalid_grant", async () => {
    const { callback, checks } = await freshCode();
    const refused = await oauthErrorOf(client.authorizationCodeGrant(rp.config, callback, { ...checks, pkceCodeVerifier: client.randomPKCECodeVerifier() }));
    assert.equal(refused.status, 400);
    assert.equal(refused.error, "invalid_grant");
  });

  test("a code redeemed with another redirect_uri or by another client is invalid_grant", async () => {
    const { callback, checks } = await freshCode();
    const moved = new URL(callback);
    moved.pathname = "/other";
    assert.equal((await oauthErrorOf(client.authorizationCodeGrant(rp.config, moved, checks))).error, "invalid_grant");

    const second = await freshCode();
    const narrow = await relyingParty(rp.tenant, rp.narrow.client_id, undefined, client.ClientSecretBasic(rp.narrow.client_secret));
    assert.equal((await oauthErrorOf(client.authorizationCodeGrant(narrow, second.callback, second.checks))).error, "invalid_grant");
  });

  test("a replayed code is invalid_grant and revokes the tokens issued from it (RFC 6749 §4.1.2)", async () => {
    const { callback, checks } = await freshCode();
    const tokens = await client.authorizationCodeGrant(rp.config, callback, checks);
    assert.equal((await client.tokenIntrospection(rp.config, tokens.access_token)).active, true);

    const replayed = await oauthErrorOf(client.authorizationCodeGrant(rp.config, callback, checks));
    assert.equal(replayed.status, 400);
    assert.equal(replayed.error, "invalid_grant");
    assert.equal((await client.tokenIntrospection(rp.config, tokens.access_token)).active, false);
    assert.equal((await oauthErrorOf(client.refreshTokenGrant(rp.config, tokens.refresh_token))).error, "invalid_grant");
  });

  test("a wrong client secret is invalid_client: 401 with a Basic challenge after Basic, 401 after client_secret_post", async () => {
    const { callback, checks } = await freshCode();
    const basic = await relyingParty(rp.tenant, rp.registered.client_id, undefined, client.ClientSecretBasic("cs_not-the-secret"));
    const refused = await oauthErrorOf(client.authorizationCodeGrant(basic, callback, checks));
    assert.equal(refused.status, 401);
    assert.equal(refused.error, "invalid_client");
    assert.match(refused.wwwAuthenticate ?? "", /^Basic realm=/i);

    const post = await relyingParty(rp.tenant, rp.registered.client_id, undefined, client.ClientSecretPost("cs_not-the-secret"));
    const posted = await oauthErrorOf(client.refreshTokenGrant(post, "ort_anything.anything"));
    assert.equal(posted.status, 401);
    assert.equal(posted.error, "invalid_client");
  });

  test("another tenant's client is invalid_client at this tenant's token endpoint", async () => {
    const foreign = await relyingParty(rp.tenant, rp.foreign.client_id, undefined, client.ClientSecretBasic(rp.foreign.client_secret));
    const refused = await oauthErrorOf(client.clientCredentialsGrant(foreign));
    assert.equal(refused.status, 401);
    assert.equal(refused.error, "invalid_client");
    // The same credentials work at their own tenant, so the refusal is about the tenant.
    const home = await relyingParty(rp.elsewhere, rp.foreign.client_id, undefined, client.ClientSecretBasic(rp.foreign.client_secret));
    assert.ok((await client.clientCredentialsGrant(home)).access_token);
  });

  test("OAuth error responses are not cached (RFC 6749 §5.2)", async () => {
    const response = await fetch(rp.config.serverMetadata().token_endpoint, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code: "not-a-code", client_id: rp.registered.client_id }).toString(),
    });
    assert.equal(response.status, 401);
    assert.match(response.headers.get("cache-control") ?? "", /no-store/);
    assert.equal((await response.json()).error, "invalid_client");
  });
});
