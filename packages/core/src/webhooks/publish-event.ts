import type { CoreDeps } from "../deps";
import type { AuditEvent } from "../model";
import { webhookTypeOf } from "./event-types";

/**
 * Streams an audit event to webhooks (issue 6, "events also stream to
 * webhooks"): one queue message for a public type, nothing otherwise. The
 * consumer (workers/webhooks) fans it out to the tenant's endpoints, so the
 * request path only pays for one queue send and never waits on a delivery.
 */
export async function publishWebhookEvent(deps: Pick<CoreDeps, "events">, event: AuditEvent): Promise<void> {
  const type = webhookTypeOf(event.type);
  if (!type) return;
  await deps.events.publish(event.tenantId, {
    id: event.id,
    type,
    occurredAt: event.createdAt,
    data: {
      subject_id: event.subjectId,
      actor: { type: event.actorType, id: event.actorId },
      ...event.data,
    },
  });
}
