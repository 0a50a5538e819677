import { describe, expect, it } from "vitest";
import { call, createTenant, json, type TestTenant } from "./helpers";
import { type ClientBody, createClient, listClients, register, storedClient } from "./oauth-client-helpers";
import { API, basic, expectOAuthError, expectTokens, oauthTenant, REDIRECT_URI, tokenRequest } from "./oauth-token-helpers";
import { admin, type Caller, clockedApp, MINUTE } from "./token-helpers";

/** RFC 7591 §3.2.1 client information response, as the tests read it. */
interface Registration {
  client_id: string;
  client_secret?: string;
  client_id_issued_at: number;
  client_secret_expires_at?: number;
  registration_access_token: string;
  registration_client_uri: string;
  client_name: string;
  redirect_uris: string[];
  token_endpoint_auth_method: string;
  grant_types: string[];
  response_types: string[];
  scope: string;
  application_type: string;
  client_uri?: string;
  contacts?: string[];
}

async function dcrTenant(mode: "open" | "initial_access_token", send: Caller = call): Promise<TestTenant> {
  const tenant = await oauthTenant(send);
  const response = await admin(tenant, "/settings", { method: "PATCH", body: { oauth: { dynamic_registration: mode } } }, send);
  expect(response.status).toBe(200);
  return tenant;
}

async function registered(response: Response): Promise<Registration> {
  const text = await response.clone().text();
  expect(response.status, text).toBe(201);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(response.headers.get("Pragma")).toBe("no-cache");
  return json<Registration>(response);
}

/** RFC 6750 §3: a 401 with a Bearer challenge and an RFC 6749-style body. */
async function expectBearerRefusal(response: Response): Promise<void> {
  await expectOAuthError(response, 401, "invalid_token");
  expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
}

const configuration = (registration: Registration, method: string, token: string, body?: unknown) =>
  call(new URL(registration.registration_client_uri).pathname, { method, token, ...(body === undefined ? {} : { body }) });

async function initialAccessToken(tenant: TestTenant, body: Record<string, unknown>, send: Caller = call): Promise<string> {
  const response = await admin(tenant, "/oauth/initial-access-tokens", { body }, send);
  expect(response.status).toBe(201);
  return (await json<{ initial_access_token: string }>(response)).initial_access_token;
}

describe("dynamic client registration (RFC 7591): gate", () => {
  it("does not exist while settings.oauth.dynamic_registration is disabled (the default)", async () => {
    const tenant = await oauthTenant();
    const response = await register(tenant, { redirect_uris: [REDIRECT_URI] });
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ error: "invalid_request" });
    expect(await listClients(tenant)).toEqual([]);
  });

  it("open: registers a confidential client with the RFC defaults, a secret and a registration access token", async () => {
    const tenant = await dcrTenant("open");
    const body = await registered(
      await register(tenant, { redirect_uris: [REDIRECT_URI], client_name: "Partner app", client_uri: "https://partner.example.com", contacts: ["ops@partner.example.com"] }),
    );
    expect(body).toMatchObject({
      client_name: "Partner app",
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "client_secret_basic",
      grant_types: ["authorization_code"],
      response_types: ["code"],
      scope: "openid profile email",
      application_type: "web",
      client_secret_expires_at: 0,
      client_uri: "https://partner.example.com",
      contacts: ["ops@partner.example.com"],
    });
    expect(body.client_id).toMatch(/^cli_/);
    expect(body.client_secret).toMatch(/^cs_/);
    expect(body.registration_access_token).toMatch(/^rat_[A-Za-z0-9_-]{43}$/);
    expect(body.registration_client_uri).toBe(`${tenant.issuer}/oauth/register/${body.client_id}`);
    expect(Math.abs(body.client_id_issued_at - Date.now() / 1000)).toBeLessThan(60);

    const [listed] = await listClients(tenant);
    expect(listed).toMatchObject({ client_id: body.client_id, created_via: "dynamic", first_party: false });
    const stored = await storedClient(tenant, body.client_id);
    expect(stored?.registrationTokenHash).not.toBe(body.registration_access_token);
    const audit = await admin(tenant, "/audit-events?type=oauth_client.created");
    const auditText = await audit.text();
    expect(auditText).toContain(body.client_id);
    expect(auditText).not.toContain(body.client_secret);
    expect(auditText).not.toContain(body.registration_access_token);
  });

  it("issues a working machine client: its secret authenticates at the token endpoint", async () => {
    const tenant = await dcrTenant("open");
    const body = await registered(await register(tenant, { grant_types: ["client_credentials"], response_types: [], scope: "read:orders" }));
    expect(body).toMatchObject({ scope: "read:orders", response_types: [], redirect_uris: [] });
    const response = await tokenRequest(tenant, { grant_type: "client_credentials", scope: "read:orders", resource: API }, { authorization: basic(body.client_id, body.client_secret ?? "") });
    await expectTokens(response);
  });

  it("registers a public native client with a private-use scheme and no secret", async () => {
    const tenant = await dcrTenant("open");
    const body = await registered(
      await register(tenant, {
        token_endpoint_auth_method: "none",
        application_type: "native",
        redirect_uris: ["com.partner.app:/oauth2redirect", "http://127.0.0.1/callback"],
        grant_types: ["authorization_code", "refresh_token"],
      }),
    );
    expect(body).toMatchObject({ token_endpoint_auth_method: "none", application_type: "native", scope: "openid profile email offline_access" });
    expect(body.client_secret).toBeUndefined();
    expect(body.client_secret_expires_at).toBeUndefined();
    const [listed] = await listClients(tenant);
    expect(listed?.type).toBe("public");
  });

  it("ignores metadata it does not understand, including a first_party claim", async () => {
    const tenant = await dcrTenant("open");
    const body = await registered(await register(tenant, { redirect_uris: [REDIRECT_URI], first_party: true, id_token_signed_response_alg: "RS256", extra: { a: 1 } }));
    const [listed] = await listClients(tenant);
    expect(listed).toMatchObject({ client_id: body.client_id, first_party: false });
    expect(JSON.stringify(body)).not.toContain("first_party");
  });

  it("an admin cannot make a dynamically registered client first-party", async () => {
    const tenant = await dcrTenant("open");
    const body = await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }));
    const response = await admin(tenant, `/oauth/clients/${body.client_id}`, { method: "PATCH", body: { first_party: true } });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ code: "invalid_client_metadata" });
  });

  it("rate-limits open registration per IP", async () => {
    const tenant = await dcrTenant("open");
    expect((await admin(tenant, "/settings", { method: "PATCH", body: { rate_limits: { sign_up_per_hour_per_ip: 2 } } })).status).toBe(200);
    const ip = "203.0.113.77";
    await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { ip }));
    await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { ip }));
    const limited = await register(tenant, { redirect_uris: [REDIRECT_URI] }, { ip });
    await expectOAuthError(limited, 429, "temporarily_unavailable");
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { ip: "203.0.113.78" }));
  });
});

describe("dynamic client registration (RFC 7591 §3.2.2): refused metadata writes nothing", () => {
  const cases: [string, unknown, string][] = [
    ["a redirect URI with a fragment", { redirect_uris: ["https://app.example.com/cb#f"] }, "invalid_redirect_uri"],
    ["a relative redirect URI", { redirect_uris: ["/cb"] }, "invalid_redirect_uri"],
    ["http to a public host", { redirect_uris: ["http://app.example.com/cb"] }, "invalid_redirect_uri"],
    ["no redirect URI for the code grant", {}, "invalid_redirect_uri"],
    ["a redirect_uris that is not an array", { redirect_uris: "https://app.example.com/cb" }, "invalid_redirect_uri"],
    ["an unsupported auth method", { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "client_secret_jwt" }, "invalid_client_metadata"],
    ["an unsupported grant", { redirect_uris: [REDIRECT_URI], grant_types: ["password"] }, "invalid_client_metadata"],
    ["an implicit response type", { redirect_uris: [REDIRECT_URI], response_types: ["token"] }, "invalid_client_metadata"],
    ["response_types code without the code grant", { grant_types: ["client_credentials"], response_types: ["code"] }, "invalid_client_metadata"],
    ["none with client_credentials", { token_endpoint_auth_method: "none", grant_types: ["client_credentials"], response_types: [] }, "invalid_client_metadata"],
    ["an unknown scope", { redirect_uris: [REDIRECT_URI], scope: "openid root" }, "invalid_client_metadata"],
    ["jwks_uri", { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "private_key_jwt", jwks_uri: "https://partner.example.com/jwks" }, "invalid_client_metadata"],
    ["private_key_jwt without jwks", { redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "private_key_jwt" }, "invalid_client_metadata"],
    ["an http logo", { redirect_uris: [REDIRECT_URI], logo_uri: "http://partner.example.com/logo.png" }, "invalid_client_metadata"],
    ["a body that is not an object", [1, 2], "invalid_client_metadata"],
  ];
  for (const [name, body, error] of cases) {
    it(`refuses ${name} with ${error}`, async () => {
      const tenant = await dcrTenant("open");
      const response = await register(tenant, body);
      const refusal = await expectOAuthError(response, 400, error);
      expect(refusal.error_description).toBeTruthy();
      expect(await listClients(tenant)).toEqual([]);
    });
  }

  it("refuses a body that is not JSON with invalid_request", async () => {
    const tenant = await dcrTenant("open");
    const response = await call(`/t/${tenant.slug}/oauth/register`, { method: "POST", rawBody: "redirect_uris=x", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
    await expectOAuthError(response, 400, "invalid_request");
    expect(await listClients(tenant)).toEqual([]);
  });
});

describe("dynamic client registration with initial access tokens (RFC 7591 §3)", () => {
  it("needs a Bearer initial access token; a wrong one is refused", async () => {
    const tenant = await dcrTenant("initial_access_token");
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }));
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token: "iat_wrong" }));
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token: tenant.secretKey }));
    expect(await listClients(tenant)).toEqual([]);
  });

  it("counts uses up to max_uses; a refused registration does not spend one", async () => {
    const tenant = await dcrTenant("initial_access_token");
    const token = await initialAccessToken(tenant, { max_uses: 2 });
    await expectOAuthError(await register(tenant, { redirect_uris: ["http://evil.example/cb"] }, { token }), 400, "invalid_redirect_uri");
    await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token }));
    await registered(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token }));
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token }));
    expect(await listClients(tenant)).toHaveLength(2);
  });

  it("an expired initial access token is refused", async () => {
    const { clock, call: send } = clockedApp();
    const tenant = await dcrTenant("initial_access_token", send);
    const token = await initialAccessToken(tenant, { expires_in: 60 }, send);
    clock.advance(2 * MINUTE);
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token }, send));
  });

  it("a token of another tenant is refused", async () => {
    const tenant = await dcrTenant("initial_access_token");
    const other = await dcrTenant("initial_access_token");
    const token = await initialAccessToken(other, {});
    await expectBearerRefusal(await register(tenant, { redirect_uris: [REDIRECT_URI] }, { token }));
  });
});

describe("client configuration endpoint (RFC 7592)", () => {
  async function registeredClient(tenant: TestTenant, body: Record<string, unknown> = {}) {
    return registered(await register(tenant, { redirect_uris: [REDIRECT_URI], client_name: "Partner", client_uri: "https://partner.example.com", ...body }));
  }

  it("GET reads the registration with the registration access token, never the secret", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const response = await configuration(created, "GET", created.registration_access_token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const { client_secret: _secret, ...expected } = created;
    expect(await json(response)).toEqual(expected);
  });

  it("refuses a wrong token, another client's token, an admin client and a token from another tenant with 401", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const second = await registeredClient(tenant);
    await expectBearerRefusal(await configuration(created, "GET", "rat_wrong"));
    await expectBearerRefusal(await configuration(created, "GET", second.registration_access_token));
    await expectOAuthError(await call(new URL(created.registration_client_uri).pathname), 401, "invalid_token");
    const adminClient = await createClient(tenant, {});
    await expectBearerRefusal(await call(`/t/${tenant.slug}/oauth/register/${adminClient.client_id}`, { token: created.registration_access_token }));
    const other = await dcrTenant("open");
    await expectBearerRefusal(await call(`/t/${other.slug}/oauth/register/${created.client_id}`, { token: created.registration_access_token }));
    await expectBearerRefusal(await configuration(created, "DELETE", second.registration_access_token));
    expect(await listClients(tenant)).toHaveLength(3);
  });

  it("PUT replaces the metadata: omitted fields are dropped, the secret stays", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const update = {
      client_id: created.client_id,
      client_secret: created.client_secret,
      client_name: "Partner v2",
      redirect_uris: ["https://partner.example.com/cb2"],
      grant_types: ["authorization_code", "client_credentials"],
      scope: "openid read:orders",
    };
    const response = await configuration(created, "PUT", created.registration_access_token, update);
    expect(response.status).toBe(200);
    const body = await json<Registration>(response);
    expect(body).toMatchObject({ client_name: "Partner v2", redirect_uris: ["https://partner.example.com/cb2"], scope: "openid read:orders", client_secret_expires_at: 0 });
    expect(body.client_uri).toBeUndefined();
    expect(body.client_secret).toBeUndefined();
    expect(body.registration_access_token).toBe(created.registration_access_token);
    const [listed] = await listClients(tenant);
    expect(listed).toMatchObject({ allowed_resources: [API], grant_types: ["authorization_code", "client_credentials"], client_uri: null });
    const tokens = await tokenRequest(tenant, { grant_type: "client_credentials", scope: "read:orders" }, { authorization: basic(created.client_id, created.client_secret ?? "") });
    await expectTokens(tokens);
  });

  it("PUT refuses another client_id, a wrong client_secret and bad metadata, changing nothing", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const before = await listClients(tenant);
    const base = { client_id: created.client_id, redirect_uris: [REDIRECT_URI] };
    await expectOAuthError(await configuration(created, "PUT", created.registration_access_token, { ...base, client_id: "cli_other" }), 400, "invalid_request");
    await expectOAuthError(await configuration(created, "PUT", created.registration_access_token, { ...base, client_secret: "cs_guess" }), 400, "invalid_client_metadata");
    await expectOAuthError(await configuration(created, "PUT", created.registration_access_token, { ...base, redirect_uris: ["https://x.example/#"] }), 400, "invalid_redirect_uri");
    await expectOAuthError(await configuration(created, "PUT", created.registration_access_token, { redirect_uris: [REDIRECT_URI] }), 400, "invalid_client_metadata");
    expect(await listClients(tenant)).toEqual(before);
  });

  it("PUT moving to none makes the client public and drops its secret", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const response = await configuration(created, "PUT", created.registration_access_token, {
      client_id: created.client_id,
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: "none",
    });
    expect(response.status).toBe(200);
    const [listed] = await listClients(tenant);
    expect(listed).toMatchObject<Partial<ClientBody>>({ type: "public", token_endpoint_auth_method: "none" });
    expect((await storedClient(tenant, created.client_id))?.secretHash).toBeNull();
  });

  it("DELETE removes the client; its token then works no more", async () => {
    const tenant = await dcrTenant("open");
    const created = await registeredClient(tenant);
    const deleted = await configuration(created, "DELETE", created.registration_access_token);
    expect(deleted.status).toBe(204);
    expect(await listClients(tenant)).toEqual([]);
    await expectBearerRefusal(await configuration(created, "GET", created.registration_access_token));
    const audit = await json<{ data: { actor: { type: string } }[] }>(await admin(tenant, "/audit-events?type=oauth_client.deleted"));
    expect(audit.data[0]?.actor.type).toBe("anonymous");
  });
});
