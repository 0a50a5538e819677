import type { CoreDeps } from "../deps";
import type { AuditEvent } from "../model";
import { webhookTypeOf } from "./event-types";

/** What a webhook event carries by default: the audit row's subject, actor and details. */
export const webhookDataOf = (event: AuditEvent): Record<string, unknown> => ({
  subject_id: event.subjectId,
  actor: { type: event.actorType, id: event.actorId },
  ...event.data,
});

/**
 * Streams an audit event to webhooks (issue 6, "events also stream to
 * webhooks"): one queue message for a public type, nothing otherwise. The
 * consumer (workers/webhooks) fans it out to the tenant's endpoints, so the
 * request path only pays for one queue send and never waits on a delivery.
 * `data` replaces the default payload data where the audit row must say less
 * than the receiver needs (erase-user.ts).
 */
export async function publishWebhookEvent(
  deps: Pick<CoreDeps, "events">,
  event: AuditEvent,
  data: Record<string, unknown> = webhookDataOf(event),
): Promise<void> {
  const type = webhookTypeOf(event.type);
  if (!type) return;
  await deps.events.publish(event.tenantId, { id: event.id, type, occurredAt: event.createdAt, data });
}
