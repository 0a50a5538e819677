// Machine and device grants through openid-client v6 against the running stack: client credentials
// (client_secret_post, and private_key_jwt, RFC 7523), tokens verified with jose against the tenant's
// JWKS (RFC 9068) and at the edge; a code flow for an API (RFC 8707 resource indicator); the device
// authorization grant (RFC 8628) approved and denied on the hosted /device page by an HTTP-level browser.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from "jose";
import * as client from "openid-client";
import { HttpBrowser } from "./http-browser.mjs";
import { admin, completeHostedLogin, createClient, createTenant, createUser, decideDevice, oauthErrorOf, relyingParty } from "./oidc-fixture.mjs";
import { freePort, useStack } from "./stack-fixture.mjs";

const stack = useStack({ slug: "grants-demo" });
const API = "https://api.example.test";
const DEVICE_CODE = "urn:ietf:params:oauth:grant-type:device_code";
const rp = {};

// Root-level before() hooks run concurrently in node:test, so the suite waits for the stack in a describe.
describe("client credentials, API and device grants (openid-client)", () => {
  before(async () => {
    rp.tenant = await createTenant(stack, "rp-grants");
    rp.user = await createUser(stack, rp.tenant, "grace@example.com");
    const settings = await admin(stack, rp.tenant, "/settings", {
      method: "PATCH",
      body: { oauth: { resources: [{ identifier: API, name: "Example API", scopes: [{ value: "things:read", description: "Read things" }] }] } },
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.body));
    rp.jwks = createRemoteJWKSet(new URL(`${rp.tenant.issuer}/.well-known/jwks.json`));
  });

  /** RFC 9068 §4: a JWT access token, verified with the tenant's published keys. */
  async function verifyAccessToken(token, audience) {
    const { payload, protectedHeader } = await jwtVerify(token, rp.jwks, { issuer: rp.tenant.issuer, audience, typ: "at+jwt" });
    assert.equal(protectedHeader.alg, "RS256");
    return payload;
  }

  test("client credentials (client_secret_post): an RFC 9068 token for the requested API, verified with jose and at the edge", async () => {
    const registered = await createClient(stack, rp.tenant, {
      name: "Nightly job",
      type: "confidential",
      first_party: true,
      token_endpoint_auth_method: "client_secret_post",
      grant_types: ["client_credentials"],
      allowed_scopes: ["things:read"],
      allowed_resources: [API],
    });
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.ClientSecretPost(registered.client_secret));

    const tokens = await client.clientCredentialsGrant(config, { scope: "things:read", resource: API });
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.equal(tokens.scope, "things:read");
    assert.equal(tokens.refresh_token, undefined);
    assert.equal(tokens.id_token, undefined);
    const claims = await verifyAccessToken(tokens.access_token, API);
    assert.equal(claims.sub, registered.client_id);
    assert.equal(claims.client_id, registered.client_id);
    assert.equal(claims.scope, "things:read");
    assert.equal(claims.sid, undefined);
    assert.equal(typeof claims.jti, "string");

    const introspected = await client.tokenIntrospection(config, tokens.access_token);
    assert.equal(introspected.active, true);
    assert.equal(introspected.client_id, registered.client_id);

    // Without a resource the audience is the issuer itself, which the edge verifier accepts (no sid).
    const own = await client.clientCredentialsGrant(config, { scope: "things:read" });
    assert.equal((await verifyAccessToken(own.access_token, rp.tenant.issuer)).client_id, registered.client_id);
    const edge = await fetch(`${stack.edgeUrl}/verify`, { method: "POST", headers: { Authorization: `Bearer ${own.access_token}` } });
    assert.equal(edge.status, 200, await edge.clone().text());
    assert.equal((await edge.json()).claims.sub, registered.client_id);

    await client.tokenRevocation(config, own.access_token);
    assert.equal((await client.tokenIntrospection(config, own.access_token)).active, false);
  });

  test("client credentials with private_key_jwt (RFC 7523 §2.2): the registered key works, another key is invalid_client", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = { ...(await exportJWK(publicKey)), kid: "rp-key-1", alg: "ES256", use: "sig" };
    const registered = await createClient(stack, rp.tenant, {
      name: "Signed assertions",
      type: "confidential",
      first_party: true,
      token_endpoint_auth_method: "private_key_jwt",
      jwks: { keys: [jwk] },
      grant_types: ["client_credentials"],
      allowed_scopes: ["things:read"],
      allowed_resources: [API],
    });
    assert.equal(registered.client_secret, undefined, "a private_key_jwt client has no secret");
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.PrivateKeyJwt({ key: privateKey, kid: "rp-key-1" }));
    const tokens = await client.clientCredentialsGrant(config, { scope: "things:read", resource: API });
    assert.equal((await verifyAccessToken(tokens.access_token, API)).sub, registered.client_id);

    const other = await generateKeyPair("ES256");
    const impostor = await relyingParty(rp.tenant, registered.client_id, undefined, client.PrivateKeyJwt({ key: other.privateKey, kid: "rp-key-1" }));
    const refused = await oauthErrorOf(client.clientCredentialsGrant(impostor, { scope: "things:read", resource: API }));
    assert.equal(refused.status, 401);
    assert.equal(refused.error, "invalid_client");
  });

  test("authorization code with a resource indicator (RFC 8707): the access token's audience is the API, the ID token's the client", async () => {
    const redirectUri = `http://localhost:${await freePort()}/cb`;
    const registered = await createClient(stack, rp.tenant, {
      name: "API console",
      type: "confidential",
      first_party: true,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      allowed_scopes: ["openid", "things:read"],
      allowed_resources: [API],
    });
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.ClientSecretBasic(registered.client_secret));
    const verifier = client.randomPKCECodeVerifier();
    const checks = { pkceCodeVerifier: verifier, expectedState: client.randomState(), expectedNonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: "openid things:read",
      resource: API,
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state: checks.expectedState,
      nonce: checks.expectedNonce,
    });
    const browser = new HttpBrowser({ stopAt: (location) => location.startsWith(redirectUri) });
    const callback = await completeHostedLogin(browser, await browser.navigate(url.href), rp.user);
    const tokens = await client.authorizationCodeGrant(config, callback, checks, { resource: API });
    assert.equal(tokens.claims().aud, registered.client_id);
    const claims = await verifyAccessToken(tokens.access_token, API);
    assert.equal(claims.sub, rp.user.id);
    assert.equal(claims.client_id, registered.client_id);
    assert.deepEqual(claims.scope.split(" ").sort(), ["openid", "things:read"]);
    assert.equal(typeof claims.sid, "string");
  });

  test("device authorization grant (RFC 8628): pending, approved on the hosted /device page, then tokens", async () => {
    const registered = await createClient(stack, rp.tenant, {
      name: "Smart TV",
      type: "public",
      first_party: true,
      token_endpoint_auth_method: "none",
      grant_types: [DEVICE_CODE, "refresh_token"],
      allowed_scopes: ["openid", "profile", "email", "offline_access"],
    });
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.None());
    const authorization = await client.initiateDeviceAuthorization(config, { scope: "openid email offline_access" });
    assert.equal(authorization.verification_uri, `${rp.tenant.issuer}/device`);
    assert.match(authorization.user_code, /^[A-Z0-9-]+$/);
    assert.ok(authorization.expires_in > 0);

    // RFC 8628 §3.5: until the user decides, authorization_pending; polling faster than the interval, slow_down.
    const poll = () => oauthErrorOf(client.genericGrantRequest(config, DEVICE_CODE, { device_code: authorization.device_code }));
    assert.equal((await poll()).error, "authorization_pending");
    assert.equal((await poll()).error, "slow_down");

    const browser = new HttpBrowser();
    const decided = await decideDevice(browser, authorization.verification_uri, authorization.user_code, rp.user);
    assert.equal(decided.status, 200, decided.html.slice(0, 2000));

    const tokens = await client.pollDeviceAuthorizationGrant(config, authorization);
    const claims = tokens.claims();
    assert.equal(claims.sub, rp.user.id);
    assert.equal(claims.aud, registered.client_id);
    assert.equal(claims.email, rp.user.email);
    assert.ok(tokens.refresh_token);
    const userinfo = await client.fetchUserInfo(config, tokens.access_token, rp.user.id);
    assert.equal(userinfo.email, rp.user.email);
    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token);

    // The device code is single use.
    assert.equal((await poll()).error, "invalid_grant");
  });

  test("device authorization grant: a user who denies on /device leaves the device with access_denied", async () => {
    const registered = await createClient(stack, rp.tenant, {
      name: "Kiosk",
      type: "public",
      first_party: true,
      token_endpoint_auth_method: "none",
      grant_types: [DEVICE_CODE],
      allowed_scopes: ["openid"],
    });
    const config = await relyingParty(rp.tenant, registered.client_id, undefined, client.None());
    const authorization = await client.initiateDeviceAuthorization(config, { scope: "openid" });
    await decideDevice(new HttpBrowser(), authorization.verification_uri, authorization.user_code, rp.user, /^(deny|cancel|decline)$/i);
    const denied = await oauthErrorOf(client.genericGrantRequest(config, DEVICE_CODE, { device_code: authorization.device_code }));
    assert.equal(denied.error, "access_denied");
  });
});
