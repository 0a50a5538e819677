import type { WebhookDelivery, WebhookEndpoint } from "@plinto/core";

const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/** Wire view of an endpoint: never a secret or its ciphertext. */
export const webhookEndpointView = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  event_types: endpoint.eventTypes,
  enabled: endpoint.enabled,
  disabled_reason: endpoint.disabledReason,
  previous_secret_expires_at: isoOrNull(endpoint.previousSecretExpiresAt),
  consecutive_failures: endpoint.consecutiveFailures,
  created_at: iso(endpoint.createdAt),
  updated_at: iso(endpoint.updatedAt),
});

/** The delivery log entry (the payload is not repeated here). */
export const webhookDeliveryView = (delivery: WebhookDelivery) => ({
  id: delivery.id,
  endpoint_id: delivery.endpointId,
  event_id: delivery.eventId,
  event_type: delivery.eventType,
  status: delivery.status,
  attempts: delivery.attempts,
  last_status_code: delivery.lastStatusCode,
  last_latency_ms: delivery.lastLatencyMs,
  last_error: delivery.lastError,
  last_attempt_at: isoOrNull(delivery.lastAttemptAt),
  next_attempt_at: isoOrNull(delivery.nextAttemptAt),
  created_at: iso(delivery.createdAt),
});
