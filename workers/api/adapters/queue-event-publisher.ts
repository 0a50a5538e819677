import type { EventPublisher, WebhookQueueMessage } from "@plinto/core";

/** Queues `sendBatch` takes at most 100 messages per call. */
const BATCH = 100;

/**
 * EventPublisher on the `WEBHOOKS` queue (issue 6). The api worker publishes
 * events; the consumer (workers/webhooks) enqueues the deliveries it creates.
 * A failed send of an event is logged (type and id only) and not rethrown:
 * the change it reports is already committed and in the audit log, and the
 * caller's answer must not turn into an error after the fact.
 */
export function queueEventPublisher(queue: Queue<WebhookQueueMessage>): EventPublisher {
  return {
    async publish(tenantId, event) {
      await queue.send({ kind: "event", tenantId, event }, { contentType: "json" }).catch((error: unknown) => {
        const name = error instanceof Error ? error.name : typeof error;
        console.error(JSON.stringify({ level: "error", event: "webhook_event_enqueue_failed", type: event.type, id: event.id, error: name }));
      });
    },
    async enqueueDeliveries(tenantId, deliveryIds) {
      for (let start = 0; start < deliveryIds.length; start += BATCH) {
        const batch = deliveryIds.slice(start, start + BATCH);
        await queue.sendBatch(batch.map((deliveryId) => ({ body: { kind: "delivery", tenantId, deliveryId }, contentType: "json" })));
      }
    },
  };
}
