import { env } from "cloudflare:workers";
import type { WebhookQueueMessage } from "@plinto/core";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { createTenant, json, STRONG_PASSWORD, type TestTenant } from "./helpers";
import { storageFor } from "../../workers/api/storage";
import { webhookWorld } from "./webhook-helpers";

type World = ReturnType<typeof webhookWorld>;
interface DeliveryBody {
  id: string;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
}

/** The backoff the consumer chose, as the delivery log records it (getQueueResult does not report delaySeconds). */
const scheduledDelaySeconds = (log: DeliveryBody | undefined): number | null =>
  log?.next_attempt_at && log.last_attempt_at ? (Date.parse(log.next_attempt_at) - Date.parse(log.last_attempt_at)) / 1000 : null;

const HOUR = 3_600_000;

async function endpoint(world: World, tenant: TestTenant, eventTypes = ["user.created"], url = "https://hooks.example.com/in") {
  const response = await world.call(`${tenant.base}/admin/webhooks/endpoints`, { token: tenant.secretKey, body: { url, event_types: eventTypes } });
  expect(response.status).toBe(201);
  return json<{ id: string; secret: string }>(response);
}

async function deliveries(world: World, tenant: TestTenant, endpointId: string): Promise<DeliveryBody[]> {
  const response = await world.call(`${tenant.base}/admin/webhooks/endpoints/${endpointId}/deliveries`, { token: tenant.secretKey });
  expect(response.status).toBe(200);
  return (await json<{ data: DeliveryBody[] }>(response)).data;
}

/** Signs a user up through the api (audit -> one queue message) and fans it out; returns the first delivery message. */
async function userCreatedDelivery(world: World, tenant: TestTenant): Promise<WebhookQueueMessage> {
  const signUp = await world.call(`${tenant.base}/identities`, { body: { email: `w-${crypto.randomUUID()}@example.com`, password: STRONG_PASSWORD } });
  expect(signUp.status).toBe(201);
  const published = world.events.take();
  expect(published.map((m) => m.kind === "event" && m.event.type)).toContain("user.created");
  await world.deliver(published);
  const queued = world.events.take();
  expect(queued).toHaveLength(1);
  const [message] = queued;
  if (!message) throw new Error("no delivery queued");
  return message;
}

describe("webhook delivery (consumer)", () => {
  it("publishes audit events as one queue message each and delivers a Standard Webhooks request the reference verifier accepts", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { id, secret } = await endpoint(world, tenant);
    const message = await userCreatedDelivery(world, tenant);
    const result = await world.deliver([message]);
    expect(result.explicitAcks).toHaveLength(1);
    const [request] = world.receiver.received;
    if (!request) throw new Error("nothing received");
    expect(request.url).toBe("https://hooks.example.com/in");
    const payload = new Webhook(secret).verify(request.body, request.headers) as { type: string; data: { subject_id: string } };
    expect(payload.type).toBe("user.created");
    expect(payload.data.subject_id).toMatch(/^usr_/);
    expect(() => new Webhook(secret).verify(request.body.replace("user", "usEr"), request.headers)).toThrow();
    const [log] = await deliveries(world, tenant, id);
    expect(log).toMatchObject({ status: "succeeded", attempts: 1, last_status_code: 200, last_error: null, event_type: "user.created" });
    expect(log?.event_id).toBe(request.headers["webhook-id"]);
  });

  it("delivers only to enabled endpoints subscribed to the type, and a redelivered event creates no duplicates", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const subscribed = await endpoint(world, tenant, ["user.created"]);
    const other = await endpoint(world, tenant, ["user.deleted"]);
    const off = await endpoint(world, tenant, ["user.created"]);
    await world.call(`${tenant.base}/admin/webhooks/endpoints/${off.id}`, { token: tenant.secretKey, method: "PATCH", body: { enabled: false } });
    const signUp = await world.call(`${tenant.base}/identities`, { body: { email: `d-${crypto.randomUUID()}@example.com`, password: STRONG_PASSWORD } });
    expect(signUp.status).toBe(201);
    const published = world.events.take().filter((m) => m.kind === "event" && m.event.type === "user.created");
    await world.deliver(published);
    await world.deliver(published);
    const queued = world.events.take();
    expect(new Set(queued.map((m) => m.kind === "delivery" && m.deliveryId)).size).toBe(1);
    expect(await deliveries(world, tenant, subscribed.id)).toHaveLength(1);
    expect(await deliveries(world, tenant, other.id)).toHaveLength(0);
    expect(await deliveries(world, tenant, off.id)).toHaveLength(0);
  });

  it.each([
    [503, true],
    [500, true],
    [408, true],
    [429, true],
    ["timeout", true],
    ["network_error", true],
    [400, false],
    [404, false],
    [410, false],
    [301, false],
  ] as const)("answer %s: retried %s", async (answer, retried) => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { id } = await endpoint(world, tenant);
    const message = await userCreatedDelivery(world, tenant);
    world.receiver.answers.push(answer);
    const result = await world.deliver([message]);
    const [log] = await deliveries(world, tenant, id);
    if (retried) {
      expect(result.retryMessages).toHaveLength(1);
      expect(result.explicitAcks).toEqual([]);
      expect(log).toMatchObject({ status: "pending", attempts: 1 });
      expect(scheduledDelaySeconds(log)).toBe(30);
    } else {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
      expect(log).toMatchObject({ status: "failed", attempts: 1 });
    }
    expect(log?.last_error).toBe(typeof answer === "number" ? `http_${answer}` : answer);
    expect(world.dlq.sent).toEqual([]);
  });

  it("backs off exponentially for over 24 h, then dead-letters, disables the endpoint with an audit event, and replays", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { id } = await endpoint(world, tenant);
    const message = await userCreatedDelivery(world, tenant);
    const delays: number[] = [];
    let elapsed = 0;
    for (let attempt = 1; attempt <= 10; attempt++) {
      world.receiver.answers.push(503);
      const result = await world.deliver([message], attempt);
      const delay = scheduledDelaySeconds((await deliveries(world, tenant, id))[0]);
      if (result.retryMessages.length === 0 || delay === null) {
        expect(attempt).toBe(10);
        expect(result.explicitAcks).toHaveLength(1);
        break;
      }
      delays.push(delay);
      elapsed += delay * 1000;
      world.clock.advance(delay * 1000);
    }
    expect(delays).toEqual([30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200]);
    expect(elapsed).toBeGreaterThanOrEqual(24 * HOUR);
    expect(world.dlq.sent).toEqual([message]);
    const [log] = await deliveries(world, tenant, id);
    expect(log).toMatchObject({ status: "failed", attempts: 10, last_status_code: 503 });

    const endpointNow = await json<{ enabled: boolean; disabled_reason: string }>(
      await world.call(`${tenant.base}/admin/webhooks/endpoints/${id}`, { token: tenant.secretKey }),
    );
    expect(endpointNow).toMatchObject({ enabled: false, disabled_reason: "failing" });
    const disabledEvents = await allAuditEvents(tenant, { type: "webhook_endpoint.disabled" });
    expect(disabledEvents).toHaveLength(1);
    expect(disabledEvents[0]).toMatchObject({ subject_id: id, actor: { type: "system" } });

    // Re-enable, then replay everything failed since before the event: same webhook-id, delivered.
    await world.call(`${tenant.base}/admin/webhooks/endpoints/${id}`, { token: tenant.secretKey, method: "PATCH", body: { enabled: true } });
    const replay = await world.call(`${tenant.base}/admin/webhooks/deliveries/replay`, {
      token: tenant.secretKey,
      body: { since: new Date(world.clock.now() - 48 * HOUR).toISOString() },
    });
    expect(await json(replay)).toEqual({ replayed: 1 });
    const requeued = world.events.take();
    expect(requeued).toEqual([message]);
    await world.deliver(requeued);
    const [after] = await deliveries(world, tenant, id);
    expect(after).toMatchObject({ status: "succeeded", attempts: 11, last_status_code: 200 });
    const again = await world.call(`${tenant.base}/admin/webhooks/deliveries/${after?.id}/replay`, { token: tenant.secretKey, method: "POST" });
    expect(again.status).toBe(409);
  });

  it("replays one failed delivery by id; another tenant cannot", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const stranger = await createTenant();
    const { id } = await endpoint(world, tenant);
    const message = await userCreatedDelivery(world, tenant);
    world.receiver.answers.push(400);
    await world.deliver([message]);
    const [failed] = await deliveries(world, tenant, id);
    const path = `/admin/webhooks/deliveries/${failed?.id}/replay`;
    expect((await world.call(`${stranger.base}${path}`, { token: stranger.secretKey, method: "POST" })).status).toBe(404);
    expect((await world.call(`${tenant.base}${path}`, { token: tenant.secretKey, method: "POST" })).status).toBe(202);
    await world.deliver(world.events.take());
    expect((await deliveries(world, tenant, id))[0]).toMatchObject({ status: "succeeded", attempts: 2 });
  });

  it("signs with both secrets during a rotation overlap, and only the new one after it", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { id, secret: oldSecret } = await endpoint(world, tenant, ["webhook.test"]);
    const rotated = await json<{ secret: string }>(
      await world.call(`${tenant.base}/admin/webhooks/endpoints/${id}/rotate-secret`, { token: tenant.secretKey, body: { overlap_seconds: 600 } }),
    );
    const test = await world.call(`${tenant.base}/admin/webhooks/endpoints/${id}/test`, { token: tenant.secretKey, method: "POST" });
    expect(test.status).toBe(202);
    await world.deliver(world.events.take());
    const [during] = world.receiver.received;
    if (!during) throw new Error("nothing received");
    expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(new Webhook(oldSecret).verify(during.body, during.headers)).toMatchObject({ type: "webhook.test" });
    expect(new Webhook(rotated.secret).verify(during.body, during.headers)).toMatchObject({ type: "webhook.test" });

    world.clock.advance(601_000);
    await world.call(`${tenant.base}/admin/webhooks/endpoints/${id}/test`, { token: tenant.secretKey, method: "POST" });
    await world.deliver(world.events.take());
    const after = world.receiver.received[1];
    if (!after) throw new Error("nothing received");
    expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    // The verifier checks the timestamp against real time; the clock moved 10 minutes, so check the signature set itself.
    const timestamp = Number(after.headers["webhook-timestamp"]);
    expect(timestamp).toBe(Math.floor(world.clock.now() / 1000));
  });

  it("refuses at delivery a URL that became unsafe (stored before the rule), without sending", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { id } = await endpoint(world, tenant);
    // Written past the API's check, on whichever backend the run uses.
    await storageFor(env).webhookEndpoints.update(tenant.id, id, { url: "https://169.254.169.254/latest" });
    const message = await userCreatedDelivery(world, tenant);
    await world.deliver([message]);
    expect(world.receiver.received).toEqual([]);
    expect((await deliveries(world, tenant, id))[0]).toMatchObject({ status: "failed", last_error: "unsafe_url" });
  });
});
