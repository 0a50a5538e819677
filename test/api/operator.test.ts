import { describe, expect, it } from "vitest";
import { admin, type PageBody, type ProblemBody } from "./admin-helpers";
import { call, createTenant, expectProblem, json, OPERATOR_KEY, uniqueSlug } from "./helpers";

const tenantBody = (slug: string) => ({ slug, name: `Tenant ${slug}`, allowed_origins: ["https://app.example.com"] });

interface CreatedTenantBody {
  tenant: { id: string; slug: string; name: string; issuer: string; settings: { allowed_origins: string[] }; created_at: string };
  secret_key: { id: string; name: string; prefix: string; secret: string; created_at: string; last_used_at: string | null; revoked_at: string | null };
}

describe("operator: POST /api/v1/operator/tenants", () => {
  it("requires the operator key: none is 401 unauthorized with a Bearer challenge", async () => {
    const response = await call("/api/v1/operator/tenants", { body: tenantBody(uniqueSlug()) });
    await expectProblem(response, 401, "unauthorized");
    expect(response.headers.get("WWW-Authenticate")).toMatch(/^Bearer /);
  });

  it("refuses a wrong operator key with 401", async () => {
    for (const token of [`${OPERATOR_KEY}x`, "op_wrong", OPERATOR_KEY.slice(0, -1)]) {
      const response = await call("/api/v1/operator/tenants", { token, body: tenantBody(uniqueSlug()) });
      expect(response.status).toBe(401);
      const problem = await json<ProblemBody>(response);
      expect(problem.code).toBe("invalid_token");
      expect(response.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    }
  });

  it("refuses a tenant secret key in place of the operator key", async () => {
    const tenant = await createTenant();
    const response = await call("/api/v1/operator/tenants", { token: tenant.secretKey, body: tenantBody(uniqueSlug()) });
    expect(response.status).toBe(401);
  });

  it("creates a tenant and shows its secret key once, prefixed sk_", async () => {
    const slug = uniqueSlug();
    const response = await call("/api/v1/operator/tenants", { token: OPERATOR_KEY, body: tenantBody(slug) });
    expect(response.status).toBe(201);
    const body = await json<CreatedTenantBody>(response);
    expect(body.tenant.slug).toBe(slug);
    expect(body.tenant.issuer).toBe(`http://localhost/t/${slug}`);
    expect(body.tenant.settings.allowed_origins).toEqual(["https://app.example.com"]);
    expect(body.secret_key.secret).toMatch(/^sk_[A-Za-z0-9_-]{40,}$/);
    expect(body.secret_key.secret.startsWith(body.secret_key.prefix)).toBe(true);
    expect(body.secret_key.prefix.length).toBeLessThan(body.secret_key.secret.length / 2);
    expect(response.headers.get("Cache-Control")).toContain("no-store");

    // The key works, and listing keys never shows it again, nor any hash of it.
    const list = await call(`/t/${slug}/api/v1/admin/api-keys`, { token: body.secret_key.secret });
    expect(list.status).toBe(200);
    const text = await list.text();
    const keys = JSON.parse(text) as PageBody<Record<string, unknown>>;
    expect(keys.data).toHaveLength(1);
    const [key] = keys.data;
    expect(key).toMatchObject({ id: body.secret_key.id, prefix: body.secret_key.prefix, revoked_at: null });
    expect(Object.keys(key ?? {}).sort()).toEqual(["created_at", "id", "last_used_at", "name", "prefix", "revoked_at"]);
    expect(text).not.toContain(body.secret_key.secret);
    expect(text).not.toMatch(/"[a-z_]*(secret|hash)[a-z_]*"\s*:/i);
    expect(text).not.toContain(body.secret_key.secret.slice(body.secret_key.prefix.length));
  });

  it("answers 409 slug_taken for a duplicate slug, and leaves the first tenant intact", async () => {
    const tenant = await createTenant();
    const response = await call("/api/v1/operator/tenants", { token: OPERATOR_KEY, body: tenantBody(tenant.slug) });
    await expectProblem(response, 409, "slug_taken");
    const keys = await admin(tenant, "/api-keys");
    expect(keys.status).toBe(200);
    expect((await json<PageBody<unknown>>(keys)).data).toHaveLength(1);
  });

  it.each([
    ["uppercase", "Acme-Corp"],
    ["too short", "ab"],
    ["leading hyphen", "-acme"],
    ["trailing hyphen", "acme-"],
    ["slash", "acme/evil"],
    ["too long", "a".repeat(41)],
    ["spaces", "acme corp"],
  ])("rejects a bad slug (%s) with 400 validation_failed naming the slug", async (_label, slug) => {
    const response = await call("/api/v1/operator/tenants", { token: OPERATOR_KEY, body: tenantBody(slug) });
    const problem = await expectProblem(response, 400, "validation_failed");
    expect((problem as ProblemBody).errors?.map((error) => error.path)).toContain("slug");
  });

  it("rejects missing fields, wrong types and bad origins with field paths", async () => {
    const response = await call("/api/v1/operator/tenants", {
      token: OPERATOR_KEY,
      body: { slug: 42, allowed_origins: ["https://app.example.com/path"] },
    });
    const problem = (await expectProblem(response, 400, "validation_failed")) as ProblemBody;
    const paths = problem.errors?.map((error) => error.path) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["slug", "name", "allowed_origins.0"]));
  });

  it("rejects bad JSON with 400 invalid_json", async () => {
    const response = await call("/api/v1/operator/tenants", {
      token: OPERATOR_KEY,
      rawBody: '{"slug": "x",',
      headers: { "Content-Type": "application/json" },
    });
    await expectProblem(response, 400, "invalid_json");
  });
});
