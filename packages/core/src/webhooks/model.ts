import type { WebhookEventType } from "@plinto/contracts";

/** A tenant's webhook receiver. Secrets are vault ciphertexts (context: endpointSecretContext). */
export interface WebhookEndpoint {
  id: string;
  tenantId: string;
  url: string;
  description: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
  disabledReason: "manual" | "failing" | null;
  secretEncrypted: string;
  previousSecretEncrypted: string | null;
  previousSecretExpiresAt: number | null;
  consecutiveFailures: number;
  failingSince: number | null;
  createdAt: number;
  updatedAt: number;
}

export type WebhookDeliveryStatus = "pending" | "succeeded" | "failed";

/** One event for one endpoint, and its delivery log. */
export interface WebhookDelivery {
  id: string;
  tenantId: string;
  endpointId: string;
  /** The `webhook-id` header (Standard Webhooks): the same on every attempt and replay. */
  eventId: string;
  eventType: string;
  /** The exact JSON body that is signed and sent. */
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  lastStatusCode: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
  createdAt: number;
}

/** An event as published by the api worker: one queue message, fanned out by the consumer. */
export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  /** ms since the epoch. */
  occurredAt: number;
  data: Record<string, unknown>;
}
