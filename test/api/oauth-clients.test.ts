import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { createSignedInUser } from "./admin-helpers";
import { call, createTenant, expectProblem, json } from "./helpers";
import { clientKeyPair, type ClientBody, createClient, listClients, machineClient, storedClient } from "./oauth-client-helpers";
import { API, basic, exchangeCode, expectOAuthError, expectTokens, oauthTenant, REDIRECT_URI, tokenRequest } from "./oauth-token-helpers";
import { admin } from "./token-helpers";

const clientCredentials = (clientId: string, secret: string, tenantSlug: { slug: string } & Parameters<typeof tokenRequest>[0]) =>
  tokenRequest(tenantSlug, { grant_type: "client_credentials", scope: "read:orders" }, { authorization: basic(clientId, secret) });

describe("admin OAuth clients: create", () => {
  it("registers a confidential client with RFC 7591 defaults and shows its cs_ secret once", async () => {
    const tenant = await createTenant();
    const created = await createClient(tenant, { name: "Web app", client_uri: "https://app.example.com", contacts: ["dev@example.com"] });
    expect(created).toMatchObject({
      name: "Web app",
      type: "confidential",
      first_party: false,
      token_endpoint_auth_method: "client_secret_basic",
      redirect_uris: [REDIRECT_URI],
      grant_types: ["authorization_code"],
      allowed_scopes: ["openid", "profile", "email"],
      allowed_resources: [],
      jwks: null,
      access_token_ttl_seconds: null,
      client_uri: "https://app.example.com",
      logo_uri: null,
      contacts: ["dev@example.com"],
      created_via: "admin",
    });
    expect(created.client_id).toMatch(/^cli_[0-9A-Z]{26}$/);
    expect(created.client_secret).toMatch(/^cs_[A-Za-z0-9_-]{43}$/);

    const one = await json<ClientBody>(await admin(tenant, `/oauth/clients/${created.client_id}`));
    const { client_secret: _secret, ...withoutSecret } = created;
    expect(one).toEqual(withoutSecret);
    expect(await listClients(tenant)).toEqual([withoutSecret]);

    const audit = await json<{ data: { type: string; subject_id: string }[] }>(await admin(tenant, "/audit-events?type=oauth_client.created"));
    expect(audit.data.map((event) => event.subject_id)).toEqual([created.client_id]);
    expect(JSON.stringify(audit)).not.toContain(created.client_secret);
    const stored = await storedClient(tenant, created.client_id);
    expect(stored?.secretHash).not.toContain(created.client_secret ?? "");
  });

  it("adds offline_access to the default scopes with the refresh_token grant, and none without a user grant", async () => {
    const tenant = await oauthTenant();
    const withRefresh = await createClient(tenant, { grant_types: ["authorization_code", "refresh_token"] });
    expect(withRefresh.allowed_scopes).toEqual(["openid", "profile", "email", "offline_access"]);
    const machine = await createClient(tenant, { grant_types: ["client_credentials"], redirect_uris: [] });
    expect(machine.allowed_scopes).toEqual([]);
  });

  it("makes a public client use none, with no secret; private-use schemes and loopback redirects are allowed for it", async () => {
    const tenant = await createTenant();
    const uris = ["com.example.app:/oauth/callback", "http://127.0.0.1:8765/callback", "http://localhost/cb", "http://[::1]:9000/cb"];
    const created = await createClient(tenant, { type: "public", redirect_uris: uris, grant_types: ["authorization_code", "refresh_token"] });
    expect(created).toMatchObject({ type: "public", token_endpoint_auth_method: "none", redirect_uris: uris });
    expect(created.client_secret).toBeUndefined();
    const implied = await createClient(tenant, { token_endpoint_auth_method: "none" });
    expect(implied.type).toBe("public");
  });

  it("accepts a private_key_jwt client with public keys and issues it no secret", async () => {
    const tenant = await createTenant();
    const rsa = await clientKeyPair("RS256");
    const ec = await clientKeyPair("ES256");
    const created = await createClient(tenant, { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [rsa.publicJwk, ec.publicJwk] } });
    expect(created.client_secret).toBeUndefined();
    expect(created.jwks?.keys.map((key) => key.kid)).toEqual([rsa.kid, ec.kid]);
    expect((await storedClient(tenant, created.client_id))?.secretHash).toBeNull();
  });
});

describe("admin OAuth clients: refused metadata writes nothing", () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ["a relative redirect URI", { redirect_uris: ["/callback"] }, 400, "invalid_redirect_uri"],
    ["a redirect URI with a fragment", { redirect_uris: ["https://app.example.com/cb#x"] }, 400, "invalid_redirect_uri"],
    ["an empty fragment", { redirect_uris: ["https://app.example.com/cb#"] }, 400, "invalid_redirect_uri"],
    ["plain http to a public host", { redirect_uris: ["http://app.example.com/cb"] }, 400, "invalid_redirect_uri"],
    ["a javascript: URI", { type: "public", redirect_uris: ["javascript:alert(1)"] }, 400, "invalid_redirect_uri"],
    ["credentials in a redirect URI", { redirect_uris: ["https://user:pw@app.example.com/cb"] }, 400, "invalid_redirect_uri"],
    ["a private-use scheme on a confidential client", { redirect_uris: ["com.example.app:/cb"] }, 400, "invalid_redirect_uri"],
    ["a private-use scheme that is not a reverse domain", { type: "public", redirect_uris: ["myapp:/cb"] }, 400, "invalid_redirect_uri"],
    ["authorization_code without redirect URIs", { redirect_uris: [] }, 400, "invalid_redirect_uri"],
    ["a bad post-logout redirect URI", { post_logout_redirect_uris: ["http://evil.example/"] }, 400, "invalid_client_metadata"],
    ["a public client with client_credentials", { type: "public", grant_types: ["client_credentials"] }, 400, "invalid_client_metadata"],
    ["a public client with a secret method", { type: "public", token_endpoint_auth_method: "client_secret_basic" }, 400, "invalid_client_metadata"],
    ["a confidential client with none", { type: "confidential", token_endpoint_auth_method: "none" }, 400, "invalid_client_metadata"],
    ["refresh_token without a user grant", { grant_types: ["refresh_token", "client_credentials"], redirect_uris: [] }, 400, "invalid_client_metadata"],
    ["an unknown scope", { allowed_scopes: ["openid", "admin:everything"] }, 400, "invalid_client_metadata"],
    ["a resource that is not a tenant API", { allowed_resources: ["https://other.example.com/api"] }, 400, "invalid_client_metadata"],
    ["private_key_jwt without jwks", { token_endpoint_auth_method: "private_key_jwt" }, 400, "invalid_client_metadata"],
    ["a symmetric key", { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [{ kty: "oct", k: "c2VjcmV0", alg: "HS256" }] } }, 400, "invalid_client_metadata"],
    ["an HS256 alg on a key", { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [{ kty: "RSA", n: "AQAB", e: "AQAB", alg: "HS256" }] } }, 400, "invalid_client_metadata"],
    ["an unknown grant type", { grant_types: ["password"] }, 400, "validation_failed"],
    ["an access token lifetime below a minute", { access_token_ttl_seconds: 10 }, 400, "validation_failed"],
    ["an http logo", { logo_uri: "http://app.example.com/logo.png" }, 400, "validation_failed"],
    ["an unknown field", { secret_hash: "x" }, 400, "validation_failed"],
  ];
  for (const [name, body, status, code] of cases) {
    it(`refuses ${name} with ${code}`, async () => {
      const tenant = await oauthTenant();
      const response = await admin(tenant, "/oauth/clients", { body: { name: "Bad", redirect_uris: [REDIRECT_URI], ...body } });
      await expectProblem(response, status, code);
      expect(await listClients(tenant)).toEqual([]);
    });
  }

  it("refuses a private key in jwks", async () => {
    const tenant = await createTenant();
    const pair = await clientKeyPair("ES256");
    const response = await admin(tenant, "/oauth/clients", {
      body: { name: "Bad", redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [pair.privateJwk] } },
    });
    const problem = await expectProblem(response, 400, "invalid_client_metadata");
    expect(JSON.stringify(problem)).not.toContain(String(pair.privateJwk.d));
    expect(await listClients(tenant)).toEqual([]);
  });

  it("needs an admin: no key is 401, a non-admin user 403", async () => {
    const tenant = await createTenant();
    expect((await call(`${tenant.base}/admin/oauth/clients`)).status).toBe(401);
    const { tokens } = await createSignedInUser(tenant, "user");
    await expectProblem(await admin(tenant, "/oauth/clients", { token: tokens.access_token }), 403, "forbidden");
  });

  it("keeps tenants apart: another tenant's client is not found", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const created = await createClient(tenant, {});
    await expectProblem(await admin(other, `/oauth/clients/${created.client_id}`), 404, "not_found");
    await expectProblem(await admin(other, `/oauth/clients/${created.client_id}`, { method: "DELETE" }), 404, "not_found");
    await expectProblem(await admin(other, `/oauth/clients/${created.client_id}/secret`, { method: "POST" }), 404, "not_found");
    expect(await listClients(other)).toEqual([]);
  });
});

describe("admin OAuth clients: update, rotate, delete", () => {
  it("PATCH replaces the given fields and validates the result whole; a refused PATCH changes nothing", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, {});
    const patched = await admin(tenant, `/oauth/clients/${created.client_id}`, {
      method: "PATCH",
      body: { redirect_uris: ["https://app.example.com/new"], allowed_scopes: ["openid", "read:orders"], allowed_resources: [API], first_party: true },
    });
    expect(patched.status).toBe(200);
    const body = await json<ClientBody>(patched);
    expect(body).toMatchObject({ redirect_uris: ["https://app.example.com/new"], allowed_scopes: ["openid", "read:orders"], first_party: true });
    expect(body.client_secret).toBeUndefined();

    await expectProblem(await admin(tenant, `/oauth/clients/${created.client_id}`, { method: "PATCH", body: { redirect_uris: [] } }), 400, "invalid_redirect_uri");
    await expectProblem(await admin(tenant, `/oauth/clients/${created.client_id}`, { method: "PATCH", body: { type: "public", grant_types: ["client_credentials"] } }), 400, "invalid_client_metadata");
    const after = await json<ClientBody>(await admin(tenant, `/oauth/clients/${created.client_id}`));
    expect(after).toEqual({ ...body, updated_at: after.updated_at });
    expect(after.redirect_uris).toEqual(["https://app.example.com/new"]);
  });

  it("moving to private_key_jwt drops the secret; moving back issues a new one", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    await expectTokens(await clientCredentials(created.client_id, created.client_secret ?? "", tenant));
    const pair = await clientKeyPair();
    const toJwt = await admin(tenant, `/oauth/clients/${created.client_id}`, {
      method: "PATCH",
      body: { token_endpoint_auth_method: "private_key_jwt", jwks: { keys: [pair.publicJwk] } },
    });
    expect(toJwt.status).toBe(200);
    expect((await json<ClientBody>(toJwt)).client_secret).toBeUndefined();
    expect((await storedClient(tenant, created.client_id))?.secretHash).toBeNull();
    await expectOAuthError(await clientCredentials(created.client_id, created.client_secret ?? "", tenant), 401, "invalid_client");

    const back = await json<ClientBody>(
      await admin(tenant, `/oauth/clients/${created.client_id}`, { method: "PATCH", body: { token_endpoint_auth_method: "client_secret_basic" } }),
    );
    expect(back.client_secret).toMatch(/^cs_/);
    expect(back.client_secret).not.toBe(created.client_secret);
    await expectTokens(await clientCredentials(created.client_id, back.client_secret ?? "", tenant));
  });

  it("changing type alone moves the method to that type's default", async () => {
    const tenant = await createTenant();
    const created = await createClient(tenant, {});
    const response = await admin(tenant, `/oauth/clients/${created.client_id}`, { method: "PATCH", body: { type: "public" } });
    expect(response.status).toBe(200);
    const body = await json<ClientBody>(response);
    expect(body).toMatchObject({ type: "public", token_endpoint_auth_method: "none" });
    expect((await storedClient(tenant, created.client_id))?.secretHash).toBeNull();
  });

  it("rotating the secret returns a new one once; the old one stops working at once", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, machineClient());
    const rotated = await admin(tenant, `/oauth/clients/${created.client_id}/secret`, { method: "POST" });
    expect(rotated.status).toBe(200);
    const body = await json<{ client_id: string; client_secret: string }>(rotated);
    expect(body.client_id).toBe(created.client_id);
    expect(body.client_secret).toMatch(/^cs_/);
    await expectOAuthError(await clientCredentials(created.client_id, created.client_secret ?? "", tenant), 401, "invalid_client");
    await expectTokens(await clientCredentials(created.client_id, body.client_secret, tenant));
    const audit = await json<{ data: unknown[] }>(await admin(tenant, "/audit-events?type=oauth_client.secret_rotated"));
    expect(audit.data).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(body.client_secret);
  });

  it("a client without a secret has nothing to rotate (409)", async () => {
    const tenant = await createTenant();
    const created = await createClient(tenant, { type: "public" });
    await expectProblem(await admin(tenant, `/oauth/clients/${created.client_id}/secret`, { method: "POST" }), 409, "conflict");
  });

  it("deleting a client revokes its grants' sessions and deletes its consents", async () => {
    const tenant = await oauthTenant();
    const created = await createClient(tenant, {
      grant_types: ["authorization_code", "refresh_token"],
      allowed_scopes: ["openid", "profile", "email", "offline_access", "read:orders"],
    });
    const deps = await buildDeps(env);
    const stored = await storedClient(tenant, created.client_id);
    if (!stored) throw new Error("client not stored");
    const tokens = await exchangeCode(tenant, { client: stored, secret: created.client_secret ?? null });
    const now = Date.now();
    await deps.storage.oauthConsents.put({ tenantId: tenant.id, userId: tenant.user.id, clientId: created.client_id, scopes: ["openid"], createdAt: now, updatedAt: now });
    const [grant] = await deps.storage.oauthGrants.listForClient(tenant.id, created.client_id);
    if (!grant) throw new Error("no grant");

    const deleted = await admin(tenant, `/oauth/clients/${created.client_id}`, { method: "DELETE" });
    expect(deleted.status).toBe(204);
    await expectProblem(await admin(tenant, `/oauth/clients/${created.client_id}`), 404, "not_found");
    expect(await deps.storage.oauthGrants.listForClient(tenant.id, created.client_id)).toEqual([]);
    expect(await deps.storage.oauthConsents.get(tenant.id, tenant.user.id, created.client_id)).toBeNull();
    expect(await deps.sessions.forUser(tenant.id, tenant.user.id).get(grant.sessionId, Date.now())).toBeNull();
    const refreshed = await tokenRequest(
      tenant,
      { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" },
      { authorization: basic(created.client_id, created.client_secret ?? "") },
    );
    await expectOAuthError(refreshed, 401, "invalid_client");
    const audit = await json<{ data: { data: Record<string, unknown> }[] }>(await admin(tenant, "/audit-events?type=oauth_client.deleted"));
    expect(audit.data[0]?.data).toMatchObject({ revoked_grants: 1 });
  });
});

describe("admin OAuth clients: initial access tokens", () => {
  it("issues an iat_ token with its expiry and uses, shown once and audited without the token", async () => {
    const tenant = await createTenant();
    const response = await admin(tenant, "/oauth/initial-access-tokens", { body: { expires_in: 3_600, max_uses: 3 } });
    expect(response.status).toBe(201);
    const body = await json<{ initial_access_token: string; expires_at: string; max_uses: number }>(response);
    expect(body.initial_access_token).toMatch(/^iat_[A-Za-z0-9_-]{43}$/);
    expect(body.max_uses).toBe(3);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(3_500_000);
    const defaults = await json<{ max_uses: number }>(await admin(tenant, "/oauth/initial-access-tokens", { method: "POST" }));
    expect(defaults.max_uses).toBe(1);
    const audit = await admin(tenant, "/audit-events?type=oauth_initial_access_token.created");
    expect(await audit.text()).not.toContain(body.initial_access_token);
    await expectProblem(await admin(tenant, "/oauth/initial-access-tokens", { body: { max_uses: 0 } }), 400, "validation_failed");
  });
});
