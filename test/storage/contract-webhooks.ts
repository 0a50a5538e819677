import type { Storage, WebhookDelivery, WebhookEndpoint } from "@plinto/core";
import { expect, it } from "vitest";
import { givenTenant, newId, NOW } from "./fixtures";

const endpointRow = (tenantId: string, overrides: Partial<WebhookEndpoint> = {}): WebhookEndpoint => ({
  id: newId("whe"),
  tenantId,
  url: "https://hooks.example.com/in",
  description: null,
  eventTypes: ["user.created", "session.created"],
  enabled: true,
  disabledReason: null,
  secretEncrypted: "sealed",
  previousSecretEncrypted: null,
  previousSecretExpiresAt: null,
  consecutiveFailures: 0,
  failingSince: null,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

const deliveryRow = (endpoint: WebhookEndpoint, eventId: string, overrides: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id: newId("whd"),
  tenantId: endpoint.tenantId,
  endpointId: endpoint.id,
  eventId,
  eventType: "user.created",
  payload: '{"type":"user.created"}',
  status: "pending",
  attempts: 0,
  lastStatusCode: null,
  lastLatencyMs: null,
  lastError: null,
  lastAttemptAt: null,
  nextAttemptAt: NOW,
  createdAt: NOW,
  ...overrides,
});

/** Webhook endpoints and deliveries (issue 6), unchanged on every backend. */
export function webhooksContract(open: () => Storage) {
  it("webhook endpoints: insert, get per tenant, partial update, failure run, one-shot disable, delete", async () => {
    const storage = open();
    const tenant = await givenTenant(storage);
    const other = await givenTenant(storage);
    const endpoint = endpointRow(tenant.id);
    await storage.webhookEndpoints.insert(endpoint);
    expect(await storage.webhookEndpoints.get(tenant.id, endpoint.id)).toEqual(endpoint);
    expect(await storage.webhookEndpoints.get(other.id, endpoint.id)).toBeNull();
    expect(await storage.tenants.getById(tenant.id)).toMatchObject({ id: tenant.id, slug: tenant.slug });

    const updated = await storage.webhookEndpoints.update(tenant.id, endpoint.id, { eventTypes: ["user.deleted"], updatedAt: NOW + 1 });
    expect(updated).toMatchObject({ eventTypes: ["user.deleted"], url: endpoint.url, updatedAt: NOW + 1 });
    expect(await storage.webhookEndpoints.update(other.id, endpoint.id, { enabled: false })).toBeNull();

    expect(await storage.webhookEndpoints.recordFailure(endpoint.id, NOW + 10)).toEqual({ consecutiveFailures: 1, failingSince: NOW + 10 });
    expect(await storage.webhookEndpoints.recordFailure(endpoint.id, NOW + 20)).toEqual({ consecutiveFailures: 2, failingSince: NOW + 10 });
    const [first, second] = await Promise.all([
      open().webhookEndpoints.disableFailing(endpoint.id, NOW + 30),
      open().webhookEndpoints.disableFailing(endpoint.id, NOW + 30),
    ]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    expect(await storage.webhookEndpoints.listEnabled(tenant.id)).toEqual([]);
    expect(await storage.webhookEndpoints.list(tenant.id)).toMatchObject([{ enabled: false, disabledReason: "failing" }]);
    await storage.webhookEndpoints.recordSuccess(endpoint.id);
    expect(await storage.webhookEndpoints.get(tenant.id, endpoint.id)).toMatchObject({ consecutiveFailures: 0, failingSince: null });

    expect(await storage.webhookEndpoints.delete(other.id, endpoint.id)).toBe(false);
    expect(await storage.webhookEndpoints.delete(tenant.id, endpoint.id)).toBe(true);
    expect(await storage.webhookEndpoints.get(tenant.id, endpoint.id)).toBeNull();
  });

  it("webhook deliveries: idempotent fan-out, attempts, newest-first pages, replay of failed only", async () => {
    const storage = open();
    const tenant = await givenTenant(storage);
    const endpoint = endpointRow(tenant.id);
    await storage.webhookEndpoints.insert(endpoint);
    const first = deliveryRow(endpoint, "evt_1");
    await storage.webhookDeliveries.insertMany([first]);
    await storage.webhookDeliveries.insertMany([deliveryRow(endpoint, "evt_1")]);
    expect((await storage.webhookDeliveries.listUnattempted(tenant.id, "evt_1")).map((d) => d.id)).toEqual([first.id]);

    await storage.webhookDeliveries.recordAttempt(first.id, { status: "failed", statusCode: 503, latencyMs: 40, error: "http_503", at: NOW + 5, nextAttemptAt: null });
    expect(await storage.webhookDeliveries.get(tenant.id, first.id)).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 503, lastLatencyMs: 40, lastError: "http_503", lastAttemptAt: NOW + 5 });
    expect(await storage.webhookDeliveries.listUnattempted(tenant.id, "evt_1")).toEqual([]);

    const later = deliveryRow(endpoint, "evt_2", { createdAt: NOW + 1000, status: "failed", attempts: 3 });
    const ok = deliveryRow(endpoint, "evt_3", { createdAt: NOW + 2000, status: "succeeded", attempts: 1 });
    await storage.webhookDeliveries.insertMany([later, ok]);
    const page = await storage.webhookDeliveries.list({ tenantId: tenant.id, endpointId: endpoint.id, afterId: null, limit: 2 });
    expect(page.items.map((d) => d.id)).toEqual([ok.id, later.id]);
    const rest = await storage.webhookDeliveries.list({ tenantId: tenant.id, endpointId: endpoint.id, afterId: page.nextAfterId, limit: 2 });
    expect(rest.items.map((d) => d.id)).toEqual([first.id]);
    const failedOnly = await storage.webhookDeliveries.list({ tenantId: tenant.id, endpointId: endpoint.id, afterId: null, limit: 10, status: "failed" });
    expect(failedOnly.items).toHaveLength(2);

    expect(await storage.webhookDeliveries.markForReplay(tenant.id, { since: NOW + 500, limit: 10 })).toEqual([later.id]);
    expect(await storage.webhookDeliveries.markForReplay(tenant.id, { id: ok.id })).toEqual([]);
    expect(await storage.webhookDeliveries.markForReplay(tenant.id, { id: first.id })).toEqual([first.id]);
    expect(await storage.webhookDeliveries.markForReplay(tenant.id, { id: first.id })).toEqual([]);
    expect(await storage.webhookDeliveries.get(tenant.id, later.id)).toMatchObject({ status: "pending", attempts: 3 });
  });
}
