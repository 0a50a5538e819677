import { type WebhookEventType, webhookEventTypes } from "@plinto/contracts";

/**
 * The one place that says which audit events are public webhook events
 * (issue 6). An audit type listed in contracts' `webhookEventTypes` is
 * published under the same name; every other audit type (sign-in failures,
 * rate limits, internal housekeeping) stays in the audit log only.
 */
const published: ReadonlySet<string> = new Set<string>(webhookEventTypes.filter((type) => type !== "webhook.test"));

export function webhookTypeOf(auditType: string): WebhookEventType | null {
  return published.has(auditType) ? (auditType as WebhookEventType) : null;
}
