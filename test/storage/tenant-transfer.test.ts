import { clientSecretContext, createKeyVault } from "@plinto/core";
import { env } from "cloudflare:workers";
import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { freshIp, STRONG_PASSWORD, uniqueSlug } from "../api/helpers";
import {
  backends,
  comparable,
  exportText,
  importText,
  OPERATOR,
  seedTenant,
  send,
  storageOf,
} from "./transfer-helpers";

const JSON_TYPE = { "Content-Type": "application/json" };

async function createTenantOn(target: Env): Promise<{ slug: string; id: string }> {
  const slug = uniqueSlug("mig");
  const response = await send(target, "/api/v1/operator/tenants", {
    method: "POST",
    headers: { ...OPERATOR, ...JSON_TYPE },
    body: JSON.stringify({ slug, name: "Migrating", allowed_origins: [] }),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { tenant: { id: string } };
  return { slug, id: body.tenant.id };
}

const credentials = (email: string) => ({
  method: "POST",
  headers: { ...JSON_TYPE, "CF-Connecting-IP": freshIp() },
  body: JSON.stringify({ email, password: STRONG_PASSWORD }),
});

/** Signs in on `target` and checks the access token against that backend's own JWKS (the migrated signing key). */
async function expectSignIn(target: Env, slug: string, email: string): Promise<void> {
  const response = await send(target, `/t/${slug}/api/v1/sessions`, credentials(email));
  expect(response.status).toBe(200);
  const body = (await response.json()) as { access_token?: string };
  expect(body.access_token, JSON.stringify(body)).toBeTypeOf("string");
  const access_token = body.access_token ?? "";
  const jwks = await (await send(target, `/t/${slug}/.well-known/jwks.json`)).json();
  const { payload } = await jwtVerify(access_token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]));
  expect(payload.iss).toBe(`http://localhost/t/${slug}`);
}

/** A D1 tenant with a password user and rows in every account table; its export. */
async function givenD1Export(): Promise<{ slug: string; id: string; email: string; text: string }> {
  const tenant = await createTenantOn(backends.d1);
  const email = `ada-${tenant.slug}@example.com`;
  const signUp = await send(backends.d1, `/t/${tenant.slug}/api/v1/identities`, credentials(email));
  expect(signUp.status).toBe(201);
  await seedTenant(storageOf("d1"), tenant.id);
  return { ...tenant, email, text: await exportText(backends.d1, tenant.slug) };
}

/** A tenant of 150 users and two migrations each way: past the default 5 s on a busy machine. */
const MIGRATION_MS = 60_000;

/** The export with its upstream client secret sealed for another connection (same vault, wrong context). */
async function withUpstreamSecretOfAnotherConnection(text: string): Promise<string> {
  const vault = await createKeyVault(env.KEY_ENCRYPTION_SECRET);
  const lines = text.trim().split("\n").map((line) => JSON.parse(line) as { table?: string; row?: Record<string, unknown> });
  for (const line of lines) {
    if (line.table !== "upstream_connections" || !line.row || line.row.client_secret_encrypted === null) continue;
    line.row.client_secret_encrypted = await vault.encrypt("upstream-secret", clientSecretContext(String(line.row.tenant_id), "con_other"));
  }
  return lines.map((line) => JSON.stringify(line)).join("\n");
}

const withoutTrailer = (text: string) => text.trim().split("\n").slice(0, -1).join("\n");

describe("tenant migration between D1 and Postgres", () => {
  it("moves a tenant D1 -> Postgres -> D1 row for row; the migrated password signs in on each", async () => {
    const source = await givenD1Export();
    const lines = comparable(source.text);
    expect(source.text.length).toBeGreaterThan(64 * 1024); // past the default body limit
    const tables = new Set(lines.map((line) => (line as { table?: string }).table));
    for (const table of ["tenants", "users", "signing_keys", "api_keys", "audit_events", "totp_factors", "recovery_codes", "passkeys", "email_templates", "one_time_tokens", "oauth_clients", "oauth_grants", "oauth_consents", "upstream_connections", "linked_identities"]) {
      expect(tables, table).toContain(table);
    }

    const imported = await importText(backends.postgres, source.text);
    expect(imported.status).toBe(201);
    expect(await imported.json()).toEqual({ tenant: { slug: source.slug }, rows: lines.length - 2 });
    const fromPostgres = await exportText(backends.postgres, source.slug);
    expect(comparable(fromPostgres)).toEqual(lines);
    await expectSignIn(backends.postgres, source.slug, source.email);

    await env.DB.prepare("delete from tenants where id = ?").bind(source.id).run();
    expect((await importText(backends.d1, fromPostgres)).status).toBe(201);
    expect(comparable(await exportText(backends.d1, source.slug))).toEqual(lines);
    await expectSignIn(backends.d1, source.slug, source.email);
  }, MIGRATION_MS);

  it("is reachable with the operator key only", async () => {
    const { slug } = await createTenantOn(backends.d1);
    const exported = await send(backends.d1, `/api/v1/operator/tenants/${slug}/export`, { headers: { Authorization: "Bearer nope" } });
    expect(exported.status).toBe(401);
    expect(await exported.text()).not.toContain("tenant-export");
    expect((await importText(backends.postgres, "{}", {})).status).toBe(401);
  });

  it("refuses an existing slug, a truncated file, another tenant's row, and keys sealed under another secret, writing nothing", async () => {
    const source = await givenD1Export();
    expect((await importText(backends.d1, source.text)).status).toBe(409);
    expect((await importText(backends.postgres, withoutTrailer(source.text))).status).toBe(400);
    const foreign = source.text.replace(/"tenant_id":"[^"]+"/, '"tenant_id":"ten_other"');
    expect((await importText(backends.postgres, foreign)).status).toBe(400);
    const resealed = await withUpstreamSecretOfAnotherConnection(source.text);
    const wrongContext = await importText(backends.postgres, resealed);
    expect(wrongContext.status).toBe(422);
    expect(((await wrongContext.json()) as { code: string }).code).toBe("key_encryption_mismatch");
    const otherSecret = { ...backends.postgres, KEY_ENCRYPTION_SECRET: "another-key-encryption-secret-0123456789abcdef" };
    const mismatch = await importText(otherSecret, source.text);
    expect(mismatch.status).toBe(422);
    expect(((await mismatch.json()) as { code: string }).code).toBe("key_encryption_mismatch");
    const absent = await send(backends.postgres, `/api/v1/operator/tenants/${source.slug}/export`, { headers: OPERATOR });
    expect(absent.status).toBe(404);
  }, MIGRATION_MS);

  it("takes NDJSON only", async () => {
    const response = await send(backends.postgres, "/api/v1/operator/tenants/import", {
      method: "POST",
      headers: { ...OPERATOR, ...JSON_TYPE },
      body: "{}",
    });
    expect(response.status).toBe(415);
  });
});
