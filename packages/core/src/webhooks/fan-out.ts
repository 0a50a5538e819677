import type { CoreDeps } from "../deps";
import type { WebhookDelivery, WebhookEvent } from "./model";

export type WebhookDeps = Pick<CoreDeps, "clock" | "ids" | "storage" | "vault" | "events">;

/** The Standard Webhooks payload shape: `{ type, timestamp, data }`. */
export const webhookPayload = (event: WebhookEvent): string =>
  JSON.stringify({ type: event.type, timestamp: new Date(event.occurredAt).toISOString(), data: event.data });

export function newDelivery(deps: WebhookDeps, tenantId: string, endpointId: string, event: WebhookEvent): WebhookDelivery {
  return {
    id: deps.ids.newId("whd"),
    tenantId,
    endpointId,
    eventId: event.id,
    eventType: event.type,
    payload: webhookPayload(event),
    status: "pending",
    attempts: 0,
    lastStatusCode: null,
    lastLatencyMs: null,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: deps.clock.now(),
    createdAt: deps.clock.now(),
  };
}

/**
 * Consumer side of publishing: one delivery row per enabled endpoint
 * subscribed to the event, then one queue message per delivery. Safe to run
 * again for a redelivered event: existing (endpoint, event) rows are kept and
 * only deliveries never attempted are enqueued again.
 */
export async function fanOutEvent(deps: WebhookDeps, tenantId: string, event: WebhookEvent): Promise<string[]> {
  const endpoints = await deps.storage.webhookEndpoints.listEnabled(tenantId);
  const subscribed = endpoints.filter((endpoint) => endpoint.eventTypes.includes(event.type));
  if (subscribed.length === 0) return [];
  await deps.storage.webhookDeliveries.insertMany(subscribed.map((endpoint) => newDelivery(deps, tenantId, endpoint.id, event)));
  const ids = (await deps.storage.webhookDeliveries.listUnattempted(tenantId, event.id)).map((delivery) => delivery.id);
  await deps.events.enqueueDeliveries(tenantId, ids);
  return ids;
}
