import type { WebhookEvent } from "../webhooks/model";

/** Queue messages of the `WEBHOOKS` queue: an event to fan out, or one delivery to attempt. */
export type WebhookQueueMessage =
  | { kind: "event"; tenantId: string; event: WebhookEvent }
  | { kind: "delivery"; tenantId: string; deliveryId: string };

/**
 * Where events leave the request path: one queue send, never a delivery.
 * The api worker publishes; the consumer enqueues the deliveries it creates.
 */
export interface EventPublisher {
  publish(tenantId: string, event: WebhookEvent): Promise<void>;
  enqueueDeliveries(tenantId: string, deliveryIds: string[]): Promise<void>;
}
