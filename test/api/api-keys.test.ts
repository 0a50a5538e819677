import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, createSignedInUser } from "./admin-helpers";
import { call, createTenant, expectProblem, json } from "./helpers";

interface ApiKeyBody {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

describe("admin secret keys", () => {
  it("creates a key whose secret is shown once; it works; revoking it makes it 401 invalid_api_key", async () => {
    const tenant = await createTenant();
    const created = await admin(tenant, "/api-keys", { body: { name: "CI deploys" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("Cache-Control")).toContain("no-store");
    const key = await json<ApiKeyBody & { secret: string }>(created);
    expect(key.name).toBe("CI deploys");
    expect(key.secret).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(key.secret).not.toBe(tenant.secretKey);
    expect(key.secret.startsWith(key.prefix)).toBe(true);
    expect(key.revoked_at).toBeNull();

    // It works on the management API, and is stamped as used.
    const used = await call(`${tenant.base}/admin/users`, { token: key.secret });
    expect(used.status).toBe(200);

    // The list shows the prefix only, never the secret or a hash.
    const listResponse = await admin(tenant, "/api-keys");
    const text = await listResponse.text();
    const list = JSON.parse(text) as { data: ApiKeyBody[] };
    expect(list.data.map((entry) => entry.id).sort()).toEqual(expect.arrayContaining([key.id]));
    expect(list.data).toHaveLength(2);
    const listed = list.data.find((entry) => entry.id === key.id);
    expect(Object.keys(listed ?? {}).sort()).toEqual(["created_at", "id", "last_used_at", "name", "prefix", "revoked_at"]);
    expect(listed?.prefix).toBe(key.prefix);
    expect(listed?.last_used_at).not.toBeNull();
    expect(text).not.toContain(key.secret);
    expect(text).not.toContain(tenant.secretKey);
    expect(text).not.toContain(key.secret.slice(key.prefix.length, key.prefix.length + 12));

    // Revoke it (with the original key); it stops working at once.
    const revoked = await admin(tenant, `/api-keys/${key.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(204);
    const refused = await call(`${tenant.base}/admin/users`, { token: key.secret });
    await expectProblem(refused, 401, "invalid_api_key");
    expect(refused.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    const after = await json<{ data: ApiKeyBody[] }>(await admin(tenant, "/api-keys"));
    expect(after.data.find((entry) => entry.id === key.id)?.revoked_at).not.toBeNull();
    // Revoking twice is 404; the original key still works.
    await expectProblem(await admin(tenant, `/api-keys/${key.id}`, { method: "DELETE" }), 404, "not_found");

    const events = await allAuditEvents(tenant);
    const createdEvent = events.find((event) => event.type === "api_key.created" && event.subject_id === key.id);
    const revokedEvent = events.find((event) => event.type === "api_key.revoked" && event.subject_id === key.id);
    expect(createdEvent?.data).toEqual({ name: "CI deploys" });
    expect(revokedEvent?.actor.type).toBe("api_key");
    expect(JSON.stringify(events)).not.toContain(key.secret);
  });

  it("a key can revoke itself; the next request with it is refused", async () => {
    const tenant = await createTenant();
    const list = await json<{ data: ApiKeyBody[] }>(await admin(tenant, "/api-keys"));
    const own = list.data[0];
    expect(own).toBeDefined();
    expect((await admin(tenant, `/api-keys/${own?.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin(tenant, "/api-keys"), 401, "invalid_api_key");
  });

  it("an admin user can manage keys; a plain user cannot", async () => {
    const tenant = await createTenant();
    const adminUser = await createSignedInUser(tenant, "admin");
    const created = await call(`${tenant.base}/admin/api-keys`, { token: adminUser.tokens.access_token, body: { name: "made by admin" } });
    expect(created.status).toBe(201);
    const user = await createSignedInUser(tenant, "user");
    await expectProblem(await call(`${tenant.base}/admin/api-keys`, { token: user.tokens.access_token }), 403, "forbidden");
    await expectProblem(
      await call(`${tenant.base}/admin/api-keys`, { token: user.tokens.access_token, body: { name: "nope" } }),
      403,
      "forbidden",
    );
  });

  it("validates the name, and refuses keys of another tenant or malformed ones", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    await expectProblem(await admin(tenant, "/api-keys", { body: {} }), 400, "validation_failed");
    await expectProblem(await admin(tenant, "/api-keys", { body: { name: "   " } }), 400, "validation_failed");
    await expectProblem(await admin(tenant, "/api-keys", { body: { name: "x".repeat(101) } }), 400, "validation_failed");
    await expectProblem(await call(`${tenant.base}/admin/api-keys`, { token: other.secretKey }), 401, "invalid_api_key");
    await expectProblem(await call(`${tenant.base}/admin/api-keys`, { token: `${tenant.secretKey}x` }), 401, "invalid_api_key");
    await expectProblem(await call(`${tenant.base}/admin/api-keys`, { token: `sk_${"a".repeat(300)}` }), 401, "invalid_api_key");
    // Another tenant's key id cannot be revoked from here.
    const otherKeys = await json<{ data: ApiKeyBody[] }>(await admin(other, "/api-keys"));
    await expectProblem(await admin(tenant, `/api-keys/${otherKeys.data[0]?.id}`, { method: "DELETE" }), 404, "not_found");
    expect((await admin(other, "/api-keys")).status).toBe(200);
  });
});
