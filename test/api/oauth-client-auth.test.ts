import { authenticateClient, PlintoError, providerEndpoints, sha256 } from "@plinto/core";
import { env } from "cloudflare:workers";
import { base64url, type CryptoKey, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { clientKeyPair, createClient, machineClient } from "./oauth-client-helpers";
import { API, basic, expectOAuthError, expectTokens, oauthTenant, type OAuthTestTenant, registerClient, scopeOf, tokenRequest } from "./oauth-token-helpers";
import { clockedApp, MINUTE } from "./token-helpers";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
const CC = { grant_type: "client_credentials", scope: "read:orders", resource: API };
const tokenEndpoint = (tenant: OAuthTestTenant) => providerEndpoints(tenant.issuer).token;

/** application/x-www-form-urlencoded with every non-alphanumeric byte escaped, spaces as `+` (RFC 6749 Appendix B). */
const formEncodeAll = (value: string): string =>
  [...new TextEncoder().encode(value)]
    .map((byte) => (byte === 0x20 ? "+" : /[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");
const basicOf = (id: string, secret: string): string =>
  `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${formEncodeAll(id)}:${formEncodeAll(secret)}`)))}`;

interface AssertionOptions {
  alg?: string;
  kid?: string;
  iss?: string;
  sub?: string;
  aud?: string | string[];
  jti?: string | null;
  exp?: number | null;
  iat?: number;
}

/** A private_key_jwt client assertion (RFC 7523 §3), signed with `key`. */
async function assertion(clientId: string, key: CryptoKey | Uint8Array, audience: string, options: AssertionOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg: options.alg ?? "RS256", ...(options.kid ? { kid: options.kid } : {}) })
    .setIssuer(options.iss ?? clientId)
    .setSubject(options.sub ?? clientId)
    .setAudience(options.aud ?? audience)
    .setIssuedAt(options.iat ?? now);
  if (options.jti !== null) jwt.setJti(options.jti ?? crypto.randomUUID());
  if (options.exp !== null) jwt.setExpirationTime(options.exp ?? now + 60);
  return jwt.sign(key);
}

const assertionForm = (signed: string, extra: Record<string, string> = {}) => ({ ...CC, client_assertion_type: JWT_BEARER, client_assertion: signed, ...extra });

async function jwtClient(tenant: OAuthTestTenant, alg: "RS256" | "ES256" | "EdDSA" | "PS256" = "RS256") {
  const pair = await clientKeyPair(alg);
  const created = await createClient(tenant, machineClient("private_key_jwt", { jwks: { keys: [pair.publicJwk] } }));
  return { id: created.client_id, pair };
}

describe("client_secret_basic (RFC 6749 §2.3.1)", () => {
  it("decodes form-urlencoded id and secret, so ':', '+', '%', spaces and non-ASCII survive", async () => {
    const tenant = await oauthTenant();
    const secret = "s3cr:t+with%25 spaces/ü&=é";
    const { client } = await registerClient(tenant, { secretHash: await sha256(secret), grantTypes: ["client_credentials"] });
    await expectTokens(await tokenRequest(tenant, CC, { authorization: basicOf(client.id, secret) }));
    // Unencoded, the '+' would decode to a space and the '%25' to '%': another secret.
    const raw = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${client.id}:${secret}`)))}`;
    await expectOAuthError(await tokenRequest(tenant, CC, { authorization: raw }), 401, "invalid_client");
  });

  it("accepts a fully percent-encoded client id and secret", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    await expectTokens(await tokenRequest(tenant, CC, { authorization: basicOf(created.client_id, created.client_secret ?? "") }));
  });

  it("refuses a wrong secret with 401 invalid_client and a Basic challenge", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    const response = await tokenRequest(tenant, CC, { authorization: basic(created.client_id, `${created.client_secret}x`) });
    await expectOAuthError(response, 401, "invalid_client");
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Basic realm=/);
  });

  it("refuses malformed Basic credentials and an unknown client", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    for (const authorization of ["Basic !!!", `Basic ${btoa("no-colon")}`, `Basic ${btoa(":secret")}`, basic("cli_01ARZ3NDEKTSV4RRFFQ69G5FAV", created.client_secret ?? "")]) {
      await expectOAuthError(await tokenRequest(tenant, CC, { authorization }), 401, "invalid_client");
    }
  });

  it("refuses a client of another tenant even with its right secret", async () => {
    const tenant = await oauthTenant();
    const other = await oauthTenant();
    const created = await createClient(other, machineClient());
    await expectTokens(await tokenRequest(other, CC, { authorization: basic(created.client_id, created.client_secret ?? "") }));
    await expectOAuthError(await tokenRequest(tenant, CC, { authorization: basic(created.client_id, created.client_secret ?? "") }), 401, "invalid_client");
  });
});

describe("client_secret_post and the one-method rule (RFC 6749 §2.3)", () => {
  it("authenticates a client_secret_post client by its form fields", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient("client_secret_post"));
    await expectTokens(await tokenRequest(tenant, { ...CC, client_id: created.client_id, client_secret: created.client_secret ?? "" }));
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: created.client_id, client_secret: "cs_wrong" }), 401, "invalid_client");
  });

  it("refuses a method other than the registered one", async () => {
    const tenant = await oauthTenant();
    const post = await createClient(tenant, machineClient("client_secret_post"));
    const basicClient = await createClient(tenant, machineClient());
    await expectOAuthError(await tokenRequest(tenant, CC, { authorization: basic(post.client_id, post.client_secret ?? "") }), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: basicClient.client_id, client_secret: basicClient.client_secret ?? "" }), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: basicClient.client_id }), 401, "invalid_client");
  });

  it("refuses two methods in one request with invalid_request", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    const secret = created.client_secret ?? "";
    const both = await tokenRequest(tenant, { ...CC, client_id: created.client_id, client_secret: secret }, { authorization: basic(created.client_id, secret) });
    await expectOAuthError(both, 400, "invalid_request");
    const withAssertion = await tokenRequest(tenant, { ...CC, client_assertion_type: JWT_BEARER, client_assertion: "a.b.c" }, { authorization: basic(created.client_id, secret) });
    await expectOAuthError(withAssertion, 400, "invalid_request");
    const otherId = await tokenRequest(tenant, { ...CC, client_id: "cli_someone_else" }, { authorization: basic(created.client_id, secret) });
    await expectOAuthError(otherId, 400, "invalid_request");
  });

  it("lets a public client identify itself by client_id alone (none), then applies its grant rules", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, { type: "public" });
    // Authentication passed: the refusal is about the grant, not the client (RFC 6749 §5.2).
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: created.client_id }), 400, "unauthorized_client");
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: created.client_id, client_secret: "cs_x" }), 401, "invalid_client");
  });
});

describe("private_key_jwt (RFC 7523 §2.2, §3; OIDC Core §9)", () => {
  it("accepts an assertion for the token endpoint or the issuer, with RS256, PS256, ES256 or EdDSA", async () => {
    const tenant = await oauthTenant();
    for (const alg of ["RS256", "PS256", "ES256", "EdDSA"] as const) {
      const { id, pair } = await jwtClient(tenant, alg);
      await expectTokens(await tokenRequest(tenant, assertionForm(await assertion(id, pair.privateKey, tokenEndpoint(tenant), { alg, kid: pair.kid }))));
      await expectTokens(await tokenRequest(tenant, assertionForm(await assertion(id, pair.privateKey, tenant.issuer, { alg, kid: pair.kid, aud: [tenant.issuer, "https://other.example"] }))));
    }
  });

  it("uses a jti once: a replay is refused until the assertion expires", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const signed = await assertion(id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid, jti: "jti-1" });
    await expectTokens(await tokenRequest(tenant, assertionForm(signed)));
    await expectOAuthError(await tokenRequest(tenant, assertionForm(signed)), 401, "invalid_client");
    const again = await assertion(id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid, jti: "jti-1" });
    await expectOAuthError(await tokenRequest(tenant, assertionForm(again)), 401, "invalid_client");
  });

  it("a refused assertion does not burn its jti", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const wrongAud = await assertion(id, pair.privateKey, "https://elsewhere.example/token", { kid: pair.kid, jti: "jti-2" });
    await expectOAuthError(await tokenRequest(tenant, assertionForm(wrongAud)), 401, "invalid_client");
    await expectTokens(await tokenRequest(tenant, assertionForm(await assertion(id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid, jti: "jti-2" }))));
  });

  it("refuses expired, far-future, jti-less, exp-less, wrong-audience and iss/sub-mismatched assertions", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const now = Math.floor(Date.now() / 1000);
    const refused: [string, AssertionOptions][] = [
      ["expired", { exp: now - 120, iat: now - 180 }],
      ["exp more than five minutes ahead", { exp: now + 3_600 }],
      ["no jti", { jti: null }],
      ["no exp", { exp: null }],
      ["another audience", { aud: "https://elsewhere.example/oauth/token" }],
      ["another tenant's token endpoint", { aud: `${tenant.issuer}x/oauth/token` }],
      ["sub not the client", { sub: "cli_other" }],
      ["iss not the client", { iss: "cli_other" }],
    ];
    for (const [name, options] of refused) {
      const response = await tokenRequest(tenant, assertionForm(await assertion(id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid, ...options })));
      const body = await expectOAuthError(response, 401, "invalid_client");
      expect(body.error_description, name).toBeTruthy();
    }
  });

  it("checks exp against the server clock", async () => {
    const { clock, call: send } = clockedApp();
    const tenant = await oauthTenant(send);
    const pair = await clientKeyPair();
    const created = await createClient(tenant, machineClient("private_key_jwt", { jwks: { keys: [pair.publicJwk] } }), send);
    const signed = await assertion(created.client_id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid });
    clock.advance(2 * MINUTE);
    await expectOAuthError(await tokenRequest(tenant, assertionForm(signed), { send }), 401, "invalid_client");
  });

  it("refuses another key, alg none and HS256, whatever the header says", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const impostor = await clientKeyPair("RS256", pair.kid);
    await expectOAuthError(await tokenRequest(tenant, assertionForm(await assertion(id, impostor.privateKey, tokenEndpoint(tenant), { kid: pair.kid }))), 401, "invalid_client");

    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: id, sub: id, aud: tokenEndpoint(tenant), jti: crypto.randomUUID(), exp: now + 60, iat: now };
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    const unsigned = `${part({ alg: "none" })}.${part(claims)}.`;
    await expectOAuthError(await tokenRequest(tenant, assertionForm(unsigned)), 401, "invalid_client");

    // HS256 keyed with the public key's modulus (the classic RS/HS confusion) and with a guessable secret.
    const modulus = new TextEncoder().encode(String(pair.publicJwk.n));
    for (const key of [modulus, new TextEncoder().encode("secret")]) {
      const hmac = await assertion(id, key, tokenEndpoint(tenant), { alg: "HS256", kid: pair.kid });
      await expectOAuthError(await tokenRequest(tenant, assertionForm(hmac)), 401, "invalid_client");
    }
  });

  it("refuses a wrong assertion type, a half-sent assertion, a mismatched client_id and a secret from a key client", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const signed = () => assertion(id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid });
    await expectOAuthError(await tokenRequest(tenant, assertionForm(await signed(), { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:saml2-bearer" })), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_assertion: await signed() }), 400, "invalid_request");
    await expectOAuthError(await tokenRequest(tenant, assertionForm(await signed(), { client_id: "cli_other" })), 401, "invalid_client");
    await expectTokens(await tokenRequest(tenant, assertionForm(await signed(), { client_id: id })));
    await expectOAuthError(await tokenRequest(tenant, { ...CC, client_id: id, client_secret: "cs_anything" }), 401, "invalid_client");
    await expectOAuthError(await tokenRequest(tenant, assertionForm("not-a-jwt")), 401, "invalid_client");
  });

  it("refuses an assertion from a secret-based client (the registered method only)", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    const pair = await clientKeyPair();
    const signed = await assertion(created.client_id, pair.privateKey, tokenEndpoint(tenant), { kid: pair.kid });
    await expectOAuthError(await tokenRequest(tenant, assertionForm(signed)), 401, "invalid_client");
  });

  it("accepts the endpoint the request was made to as audience (introspection, revocation)", async () => {
    const tenant = await oauthTenant();
    const { id, pair } = await jwtClient(tenant);
    const deps = await buildDeps(env);
    const scope = await scopeOf(tenant);
    const endpointUrl = providerEndpoints(tenant.issuer).introspection;
    const form = { client_assertion_type: JWT_BEARER, client_assertion: await assertion(id, pair.privateKey, endpointUrl, { kid: pair.kid }) };
    const authenticated = await authenticateClient(deps, scope, { authorization: null, form, endpointUrl });
    expect(authenticated).toMatchObject({ method: "private_key_jwt", client: { id } });
    const elsewhere = { client_assertion_type: JWT_BEARER, client_assertion: await assertion(id, pair.privateKey, endpointUrl, { kid: pair.kid }) };
    const refused = await authenticateClient(deps, scope, { authorization: null, form: elsewhere, endpointUrl: providerEndpoints(tenant.issuer).revocation }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PlintoError);
    expect((refused as PlintoError).code).toBe("invalid_client");
  });
});
