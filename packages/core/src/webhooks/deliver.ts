import { seconds } from "../ports/clock";
import { signingSecrets } from "./endpoint-secrets";
import type { WebhookDeps } from "./fan-out";
import { disableIfFailing } from "./auto-disable";
import { type AttemptResult, attemptError, classifyAttempt, DELIVERY_TIMEOUT_MS, retryDelaySeconds } from "./retry-policy";
import { signWebhook } from "./signature";
import { checkWebhookUrl } from "./url-guard";

/** Sends one signed request; never follows redirects; resolves (never rejects) with what happened. */
export type WebhookSender = (request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }) => Promise<AttemptResult>;

/** What the queue consumer does with the message afterwards. */
export type DeliveryOutcome =
  | { kind: "done" }
  | { kind: "retry"; delaySeconds: number }
  /** Retries exhausted: to the dead-letter queue. */
  | { kind: "dead" };

export interface DeliveryOptions {
  sender: WebhookSender;
  /** Local development only (url-guard.ts allowPrivateWebhookTargets). */
  allowPrivate: boolean;
  random?: () => number;
}

/**
 * One delivery attempt (issue 6): re-check the URL (SSRF guard at delivery),
 * sign with the Standard Webhooks scheme, POST with a timeout, write the
 * attempt to the delivery log, update the endpoint's failure run, and say
 * whether to retry (with backoff) or give up. `attempt` is the queue
 * message's attempt number (1 for the first send and for each replay).
 */
export async function attemptDelivery(
  deps: WebhookDeps,
  tenantId: string,
  deliveryId: string,
  attempt: number,
  options: DeliveryOptions,
): Promise<DeliveryOutcome> {
  const delivery = await deps.storage.webhookDeliveries.get(tenantId, deliveryId);
  if (!delivery || delivery.status !== "pending") return { kind: "done" };
  const endpoint = await deps.storage.webhookEndpoints.get(tenantId, delivery.endpointId);
  const now = deps.clock.now();
  const fail = (error: string) =>
    deps.storage.webhookDeliveries.recordAttempt(deliveryId, { status: "failed", statusCode: null, latencyMs: null, error, at: now, nextAttemptAt: null });
  if (!endpoint) return { kind: "done" };
  if (!endpoint.enabled) {
    await fail("endpoint_disabled");
    return { kind: "done" };
  }
  const verdict = checkWebhookUrl(endpoint.url, options.allowPrivate);
  if (!verdict.ok) {
    await fail("unsafe_url");
    return { kind: "done" };
  }
  const secrets = await signingSecrets(deps.vault, endpoint, now);
  const signed = await signWebhookHeaders(secrets, delivery.eventId, seconds(now), delivery.payload);
  const result = await options.sender({ url: verdict.url.href, headers: signed, body: delivery.payload, timeoutMs: DELIVERY_TIMEOUT_MS });
  const verdictOf = classifyAttempt(result);
  const delay = verdictOf === "retryable" ? retryDelaySeconds(attempt, options.random) : null;
  await deps.storage.webhookDeliveries.recordAttempt(deliveryId, {
    status: verdictOf === "succeeded" ? "succeeded" : delay !== null ? "pending" : "failed",
    statusCode: result.kind === "response" ? result.status : null,
    latencyMs: Math.round(result.latencyMs),
    error: attemptError(result),
    at: now,
    nextAttemptAt: delay !== null ? now + delay * 1000 : null,
  });
  if (verdictOf === "succeeded") {
    if (endpoint.consecutiveFailures > 0) await deps.storage.webhookEndpoints.recordSuccess(endpoint.id);
    return { kind: "done" };
  }
  await disableIfFailing(deps, endpoint, now);
  if (delay !== null) return { kind: "retry", delaySeconds: delay };
  return verdictOf === "retryable" ? { kind: "dead" } : { kind: "done" };
}

async function signWebhookHeaders(secrets: string[], id: string, timestamp: number, body: string): Promise<Record<string, string>> {
  return { ...(await signWebhook(secrets, id, timestamp, body)), "content-type": "application/json", "user-agent": "Plinto-Webhooks/1" };
}
