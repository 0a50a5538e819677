import { describe, expect, it } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { createTenant, expectProblem, json, type TestTenant } from "./helpers";
import { webhookWorld } from "./webhook-helpers";

interface EndpointBody {
  id: string;
  url: string;
  event_types: string[];
  enabled: boolean;
  disabled_reason: string | null;
  previous_secret_expires_at: string | null;
  secret?: string;
}

function admin(world: ReturnType<typeof webhookWorld>, tenant: TestTenant, path: string, options: { method?: string; body?: unknown } = {}) {
  return world.call(`${tenant.base}/admin/webhooks${path}`, { token: tenant.secretKey, ...options });
}

describe("webhook endpoints admin API", () => {
  it("creates an endpoint with a whsec_ secret shown once, never again in listings, reads or the audit log", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const created = await admin(world, tenant, "/endpoints", { body: { url: "https://hooks.example.com/plinto", event_types: ["user.created"] } });
    expect(created.status).toBe(201);
    const body = await json<EndpointBody>(created);
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(body.enabled).toBe(true);
    const secret = body.secret ?? "";
    for (const path of ["/endpoints", `/endpoints/${body.id}`]) {
      const text = await (await admin(world, tenant, path)).text();
      expect(text).not.toContain(secret);
      expect(text).not.toContain("secret_encrypted");
      expect(text).not.toContain('"secret"');
    }
    const audit = JSON.stringify(await allAuditEvents(tenant, { type: "webhook_endpoint.created" }));
    expect(audit).toContain(body.id);
    expect(audit).not.toContain(secret.slice(6));
  });

  it.each([
    ["http://hooks.example.com/x", "must use https"],
    ["https://127.0.0.1/x", "private"],
    ["https://2130706433/x", "private"],
    ["https://0x7f.0.0.1/x", "private"],
    ["https://0177.0.0.1/x", "private"],
    ["https://10.1.2.3/x", "private"],
    ["https://169.254.169.254/latest/meta-data", "private"],
    ["https://100.64.0.1/x", "private"],
    ["https://[::1]/x", "private"],
    ["https://[::ffff:127.0.0.1]/x", "private"],
    ["https://[::ffff:a9fe:a9fe]/x", "private"],
    ["https://[fd00:ec2::254]/x", "private"],
    ["https://[fe80::1]/x", "private"],
    ["https://localhost/x", "local host names"],
    ["https://api.localhost/x", "local host names"],
    ["https://metadata.google.internal/x", "local host names"],
    ["https://user:pass@hooks.example.com/x", "credentials"],
    ["not a url", "valid absolute URL"],
  ])("refuses %s with 400 validation_failed on url, writing nothing", async (url, reason) => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const response = await admin(world, tenant, "/endpoints", { body: { url, event_types: ["user.created"] } });
    const problem = await expectProblem(response, 400, "validation_failed");
    expect(JSON.stringify(problem)).toContain(reason);
    const list = await json<{ data: EndpointBody[] }>(await admin(world, tenant, "/endpoints"));
    expect(list.data).toEqual([]);
  });

  it("accepts http and loopback receivers only with the explicit local-dev setting", async () => {
    const world = webhookWorld({ allowPrivate: true });
    const tenant = await createTenant();
    const response = await admin(world, tenant, "/endpoints", { body: { url: "http://127.0.0.1:9999/hook", event_types: ["user.created"] } });
    expect(response.status).toBe(201);
  });

  it("refuses unknown event types and unknown fields", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    await expectProblem(await admin(world, tenant, "/endpoints", { body: { url: "https://a.example.com", event_types: ["sign_in.failed"] } }), 400, "validation_failed");
    await expectProblem(await admin(world, tenant, "/endpoints", { body: { url: "https://a.example.com", event_types: ["user.created"], secret: "mine" } }), 400, "validation_failed");
  });

  it("lists event types, updates, disables and enables, rotates with an overlap, deletes; other tenants see 404", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const other = await createTenant();
    const types = await json<{ data: string[] }>(await admin(world, tenant, "/event-types"));
    expect(types.data).toEqual(expect.arrayContaining(["user.created", "session.created", "passkey.registered", "membership.created"]));
    const { id, secret } = await json<EndpointBody>(await admin(world, tenant, "/endpoints", { body: { url: "https://a.example.com/h", event_types: ["user.created"] } }));

    const disabled = await json<EndpointBody>(await admin(world, tenant, `/endpoints/${id}`, { method: "PATCH", body: { enabled: false, event_types: ["user.deleted"] } }));
    expect([disabled.enabled, disabled.disabled_reason, disabled.event_types]).toEqual([false, "manual", ["user.deleted"]]);
    const enabled = await json<EndpointBody>(await admin(world, tenant, `/endpoints/${id}`, { method: "PATCH", body: { enabled: true } }));
    expect([enabled.enabled, enabled.disabled_reason]).toEqual([true, null]);
    await expectProblem(await admin(world, tenant, `/endpoints/${id}`, { method: "PATCH", body: { url: "https://10.0.0.1/" } }), 400, "validation_failed");

    const rotated = await admin(world, tenant, `/endpoints/${id}/rotate-secret`, { body: { overlap_seconds: 3600 } });
    expect(rotated.status).toBe(200);
    const rotation = await json<{ secret: string; previous_secret_expires_at: string }>(rotated);
    expect(rotation.secret).toMatch(/^whsec_/);
    expect(rotation.secret).not.toBe(secret);
    expect(Date.parse(rotation.previous_secret_expires_at) - world.clock.now()).toBe(3_600_000);

    await expectProblem(await admin(world, other, `/endpoints/${id}`), 404, "not_found");
    await expectProblem(await admin(world, other, `/endpoints/${id}`, { method: "DELETE" }), 404, "not_found");
    expect((await admin(world, tenant, `/endpoints/${id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin(world, tenant, `/endpoints/${id}`), 404, "not_found");
  });

  it("needs the tenant's secret key", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const response = await world.call(`${tenant.base}/admin/webhooks/endpoints`);
    await expectProblem(response, 401, "unauthorized");
  });
});
