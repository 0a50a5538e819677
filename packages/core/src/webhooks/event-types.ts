import { type WebhookEventType, webhookEventTypes } from "@plinto/contracts";

/**
 * The one place that says which audit events are public webhook events
 * (issue 6). An audit type listed in contracts' `webhookEventTypes` is
 * published under the same name; a few audit types are published under a
 * public name of their own (`renamed`); every other audit type (sign-in
 * failures, rate limits, internal housekeeping) stays in the audit log only.
 */
const published: ReadonlySet<string> = new Set<string>(webhookEventTypes.filter((type) => type !== "webhook.test"));

/** A sign-in opens a session just as sign-up does: both are `session.created` to a receiver. */
const renamed: ReadonlyMap<string, WebhookEventType> = new Map([["sign_in.succeeded", "session.created"]]);

export function webhookTypeOf(auditType: string): WebhookEventType | null {
  return renamed.get(auditType) ?? (published.has(auditType) ? (auditType as WebhookEventType) : null);
}
