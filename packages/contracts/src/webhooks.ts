import { z } from "zod";
import { timestamp } from "./common";

/**
 * Webhook event types a tenant can subscribe to (issue 6). The core maps audit
 * event types onto these in one place (packages/core/src/webhooks/event-types.ts);
 * features add theirs here as they land.
 */
export const webhookEventTypes = [
  "user.created",
  "user.updated",
  "user.deleted",
  "user.banned",
  "user.unbanned",
  "user.password_changed",
  "session.created",
  "session.revoked",
  "email.verified",
  "mfa.totp_enrolled",
  "mfa.totp_disabled",
  "mfa.recovery_code_used",
  "mfa.recovery_codes_regenerated",
  "passkey.registered",
  "passkey.renamed",
  "passkey.deleted",
  "organization.created",
  "organization.updated",
  "organization.deleted",
  "membership.created",
  "membership.updated",
  "membership.deleted",
  "webhook.test",
] as const;
export const webhookEventTypeSchema = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;

const eventTypesSchema = z.array(webhookEventTypeSchema).min(1).max(webhookEventTypes.length);

export const webhookEndpointSchema = z.object({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable(),
  event_types: z.array(webhookEventTypeSchema),
  enabled: z.boolean(),
  disabled_reason: z.enum(["manual", "failing"]).nullable(),
  /** While set, deliveries carry a signature with the previous secret too (rotation overlap). */
  previous_secret_expires_at: timestamp.nullable(),
  consecutive_failures: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
});

/** Standard Webhooks secret format: `whsec_` + base64 of the key bytes. */
export const createdWebhookEndpointSchema = webhookEndpointSchema.extend({
  secret: z.string().describe("whsec_... signing secret; shown only in this response"),
});

export const createWebhookEndpointRequestSchema = z
  .object({
    url: z.string().max(2_048),
    description: z.string().max(500).optional(),
    event_types: eventTypesSchema,
    enabled: z.boolean().default(true),
  })
  .strict();

export const updateWebhookEndpointRequestSchema = z
  .object({
    url: z.string().max(2_048),
    description: z.string().max(500).nullable(),
    event_types: eventTypesSchema,
    enabled: z.boolean(),
  })
  .partial()
  .strict();

/** Longest rotation overlap: the previous secret signs too for at most a week. */
export const MAX_SECRET_OVERLAP_SECONDS = 7 * 86_400;

export const rotateWebhookSecretRequestSchema = z
  .object({ overlap_seconds: z.number().int().min(0).max(MAX_SECRET_OVERLAP_SECONDS).default(86_400) })
  .strict();

export const rotatedWebhookSecretSchema = z.object({
  secret: z.string().describe("The new whsec_... secret; shown only in this response"),
  previous_secret_expires_at: timestamp.nullable(),
});

export const webhookDeliverySchema = z.object({
  id: z.string(),
  endpoint_id: z.string(),
  event_id: z.string().describe("The webhook-id header"),
  event_type: z.string(),
  status: z.enum(["pending", "succeeded", "failed"]),
  attempts: z.number().int(),
  last_status_code: z.number().int().nullable(),
  last_latency_ms: z.number().int().nullable(),
  last_error: z.string().nullable(),
  last_attempt_at: timestamp.nullable(),
  next_attempt_at: timestamp.nullable(),
  created_at: timestamp,
});

export const webhookDeliveryQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  status: z.enum(["pending", "succeeded", "failed"]).optional(),
});

export const replayFailedRequestSchema = z
  .object({
    since: timestamp.describe("Replays failed deliveries created at or after this time"),
    endpoint_id: z.string().max(64).optional(),
  })
  .strict();

export const replayResultSchema = z.object({ replayed: z.number().int() });
