import { exportPKCS8, generateKeyPair } from "jose";
import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, type ProblemBody, uniqueEmail } from "./admin-helpers";
import { call, createTenant, json, type TestTenant, uniqueSlug } from "./helpers";
import { type ConnectionBody, createOidcConnection, linkedIdentitiesOf, OIDC_ISSUER, signInWithOidc, userByEmail } from "./upstream-helpers";

/** The connections admin API (docs/social-sign-in.md): per-kind validation, write-only secrets, audit. */
const slug = () => uniqueSlug("c").slice(0, 40);

async function expectFieldErrors(tenant: TestTenant, body: Record<string, unknown>, paths: string[]) {
  const response = await admin(tenant, "/connections", { body: { slug: slug(), display_name: "X", client_id: "id", ...body } });
  expect(response.status).toBe(400);
  const problem = await json<ProblemBody>(response);
  expect(problem.code).toBe("validation_failed");
  expect(problem.errors?.map((error) => error.path).sort()).toEqual([...paths].sort());
  return problem;
}

describe("connections admin API", () => {
  it("creates, lists, reads, updates and deletes a connection without ever showing its secret", async () => {
    const tenant = await createTenant();
    const created = await admin(tenant, "/connections", {
      body: { slug: "google", kind: "google", display_name: "Google", client_id: "123.apps.googleusercontent.com", client_secret: "GOCSPX-very-secret" },
    });
    expect(created.status).toBe(201);
    const connection = await json<ConnectionBody>(created);
    expect(connection).toMatchObject({
      slug: "google",
      kind: "google",
      enabled: true,
      client_secret_set: true,
      redirect_uri: `${tenant.issuer}/connections/google/callback`,
      start_url: `${tenant.issuer}/connections/google/start`,
    });
    expect(connection.id).toMatch(/^con_/);
    const list = await admin(tenant, "/connections");
    const listed = await json<{ data: ConnectionBody[] }>(list);
    expect(listed.data.map((c) => c.id)).toEqual([connection.id]);
    const one = await admin(tenant, `/connections/${connection.id}`);
    for (const body of [JSON.stringify(connection), JSON.stringify(listed), await one.text()]) expect(body).not.toContain("GOCSPX");

    const patched = await admin(tenant, `/connections/${connection.id}`, { method: "PATCH", body: { display_name: "Google Workspace", enabled: false } });
    expect(patched.status).toBe(200);
    expect(await json<ConnectionBody>(patched)).toMatchObject({ display_name: "Google Workspace", enabled: false, client_secret_set: true });
    const cleared = await admin(tenant, `/connections/${connection.id}`, { method: "PATCH", body: { client_secret: null } });
    expect(cleared.status).toBe(400); // Google needs a client secret

    expect((await admin(tenant, `/connections/${connection.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await admin(tenant, `/connections/${connection.id}`)).status).toBe(404);
    const types = (await allAuditEvents(tenant)).map((event) => event.type).filter((type) => type.startsWith("upstream_connection."));
    expect(types.sort()).toEqual(["upstream_connection.created", "upstream_connection.deleted", "upstream_connection.updated"]);
    expect(JSON.stringify(await allAuditEvents(tenant))).not.toContain("GOCSPX");
  });

  it("refuses a second connection with the same slug", async () => {
    const tenant = await createTenant();
    const body = { slug: "github", kind: "github", display_name: "GitHub", client_id: "Iv1.abc", client_secret: "s" };
    expect((await admin(tenant, "/connections", { body })).status).toBe(201);
    expect((await admin(tenant, "/connections", { body })).status).toBe(409);
  });

  it("validates each kind's fields", async () => {
    const tenant = await createTenant();
    await expectFieldErrors(tenant, { kind: "oidc" }, ["issuer"]);
    await expectFieldErrors(tenant, { kind: "oidc", issuer: "http://idp.example.com" }, ["issuer"]);
    await expectFieldErrors(tenant, { kind: "google", issuer: "https://accounts.google.com", client_secret: "s" }, ["issuer"]);
    await expectFieldErrors(tenant, { kind: "google" }, ["client_secret"]);
    await expectFieldErrors(tenant, { kind: "google", client_secret: "s", options: { tenant: "common" } }, ["options.tenant"]);
    await expectFieldErrors(tenant, { kind: "oauth2", authorization_endpoint: "https://a.example/auth" }, ["token_endpoint", "userinfo_endpoint"]);
    await expectFieldErrors(tenant, { kind: "microsoft", client_secret: "s", options: { tenant: "bad tenant!" } }, ["options.tenant"]);
    await expectFieldErrors(tenant, { kind: "apple", client_secret: "s" }, ["client_secret", "options.team_id", "options.key_id", "options.private_key"]);
    const problem = await expectFieldErrors(tenant, { kind: "oidc", issuer: `${OIDC_ISSUER}/not-an-issuer` }, ["issuer"]);
    expect(problem.errors?.[0]?.code).toBe("discovery_failed");
    const unknown = await admin(tenant, "/connections", { body: { slug: slug(), kind: "saml", display_name: "X", client_id: "id" } });
    expect(unknown.status).toBe(400);
  });

  it("stores an Apple key write-only and checks it is an ES256 key", async () => {
    const tenant = await createTenant();
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const pem = await exportPKCS8(privateKey);
    const body = { slug: "apple", kind: "apple", display_name: "Apple", client_id: "com.example.web", options: { team_id: "TEAM123456", key_id: "KEY1234567", private_key: pem } };
    const response = await admin(tenant, "/connections", { body });
    expect(response.status).toBe(201);
    const text = await response.text();
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain("private_key_encrypted");
    const connection = JSON.parse(text) as ConnectionBody;
    expect(connection).toMatchObject({ private_key_set: true, client_secret_set: false, options: { team_id: "TEAM123456", key_id: "KEY1234567" } });
    // Options are replaced as a whole; an omitted key keeps the stored one.
    const renamed = await admin(tenant, `/connections/${connection.id}`, { method: "PATCH", body: { options: { team_id: "TEAM654321", key_id: "KEY1234567" } } });
    expect(await json<ConnectionBody>(renamed)).toMatchObject({ private_key_set: true, options: { team_id: "TEAM654321" } });
    await expectFieldErrors(tenant, { ...body, slug: slug(), options: { ...body.options, private_key: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" } }, ["options.private_key"]);
  });

  it("needs the tenant's secret key", async () => {
    const tenant = await createTenant();
    expect((await call(`${tenant.base}/admin/connections`)).status).toBe(401);
    const other = await createTenant();
    expect((await call(`${tenant.base}/admin/connections`, { token: other.secretKey })).status).toBe(401);
  });

  it("unlinks every identity of a deleted connection and keeps the users", async () => {
    const tenant = await createTenant();
    const connection = await createOidcConnection(tenant);
    const email = uniqueEmail("unlink");
    const { response } = await signInWithOidc(tenant, connection.slug, { sub: `sub-${crypto.randomUUID()}`, email, email_verified: true });
    expect(response.status).toBe(303);
    const user = await userByEmail(tenant, email);
    expect(await linkedIdentitiesOf(tenant, user!.id)).toHaveLength(1);
    expect((await admin(tenant, `/connections/${connection.id}`, { method: "DELETE" })).status).toBe(204);
    expect(await linkedIdentitiesOf(tenant, user!.id)).toHaveLength(0);
    expect(await userByEmail(tenant, email)).not.toBeNull();
  });
});
