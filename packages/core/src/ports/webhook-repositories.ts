import type { Page } from "./repositories";
import type { WebhookDelivery, WebhookDeliveryStatus, WebhookEndpoint } from "../webhooks/model";

export type WebhookEndpointPatch = Partial<
  Pick<
    WebhookEndpoint,
    | "url"
    | "description"
    | "eventTypes"
    | "enabled"
    | "disabledReason"
    | "secretEncrypted"
    | "previousSecretEncrypted"
    | "previousSecretExpiresAt"
    | "consecutiveFailures"
    | "failingSince"
    | "updatedAt"
  >
>;

export interface WebhookEndpointRepository {
  insert(endpoint: WebhookEndpoint): Promise<void>;
  get(tenantId: string, id: string): Promise<WebhookEndpoint | null>;
  /** Oldest first. */
  list(tenantId: string): Promise<WebhookEndpoint[]>;
  /** Enabled endpoints of the tenant (the consumer filters them by event type). */
  listEnabled(tenantId: string): Promise<WebhookEndpoint[]>;
  /** Writes only the given columns; null when no such endpoint. */
  update(tenantId: string, id: string, patch: WebhookEndpointPatch): Promise<WebhookEndpoint | null>;
  delete(tenantId: string, id: string): Promise<boolean>;
  /** One more failed attempt, atomically; `failingSince` keeps the start of the run. Returns the new counters. */
  recordFailure(id: string, at: number): Promise<{ consecutiveFailures: number; failingSince: number } | null>;
  recordSuccess(id: string): Promise<void>;
  /** Disables an enabled endpoint (conditional update); true only for the caller that switched it off. */
  disableFailing(id: string, at: number): Promise<boolean>;
}

export interface DeliveryListQuery {
  tenantId: string;
  endpointId: string;
  afterId: string | null;
  limit: number;
  status?: WebhookDeliveryStatus;
}

/** What one attempt wrote to the delivery log. */
export interface DeliveryAttempt {
  status: WebhookDeliveryStatus;
  statusCode: number | null;
  latencyMs: number | null;
  error: string | null;
  at: number;
  nextAttemptAt: number | null;
}

export interface WebhookDeliveryRepository {
  /** Inserts what is new; a pair (endpoint, event) already there is left alone (idempotent fan-out). */
  insertMany(deliveries: WebhookDelivery[]): Promise<void>;
  /** Deliveries of one event not attempted yet (to enqueue after fan-out, again on a redelivered event). */
  listUnattempted(tenantId: string, eventId: string): Promise<WebhookDelivery[]>;
  get(tenantId: string, id: string): Promise<WebhookDelivery | null>;
  /** Newest first. */
  list(query: DeliveryListQuery): Promise<Page<WebhookDelivery>>;
  recordAttempt(id: string, attempt: DeliveryAttempt): Promise<void>;
  /** Sets failed deliveries (one id, or all created since `since`) back to pending; returns their ids. */
  markForReplay(tenantId: string, filter: { id: string } | { since: number; endpointId?: string; limit: number }): Promise<string[]>;
  /**
   * Erasure: deletes the tenant's deliveries (any status, so nothing is left
   * to replay) whose payload contains one of `needles` as JSON text, except
   * `user.deleted` deliveries. Returns how many were deleted.
   */
  deleteMentioning(tenantId: string, needles: string[]): Promise<number>;
}
