import type { WebhookEventType } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { WebhookEndpointPatch } from "../ports/webhook-repositories";
import { endpointSecretContext } from "./endpoint-secrets";
import type { WebhookEndpoint } from "./model";
import { generateWebhookSecret } from "./signature";
import { checkWebhookUrl } from "./url-guard";

export interface EndpointInput {
  url: string;
  description?: string | null;
  eventTypes: WebhookEventType[];
  enabled: boolean;
}

/** Refuses an unsafe URL with 400 naming the field (issue 6 SSRF guard, at save time). */
function requireSafeUrl(url: string, allowPrivate: boolean): string {
  const verdict = checkWebhookUrl(url, allowPrivate);
  if (!verdict.ok) {
    throw new PlintoError("validation_failed", { errors: [{ path: "url", message: verdict.reason, code: "unsafe_url" }] });
  }
  return verdict.url.href;
}

export async function requireEndpoint(deps: CoreDeps, scope: TenantScope, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.storage.webhookEndpoints.get(scope.tenant.id, id);
  if (!endpoint) throw new PlintoError("not_found", { detail: "no webhook endpoint with this id" });
  return endpoint;
}

/** Creates an endpoint; the `whsec_` secret is returned here once and stored only as vault ciphertext. */
export async function createWebhookEndpoint(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  input: EndpointInput,
  allowPrivate: boolean,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const url = requireSafeUrl(input.url, allowPrivate);
  const id = deps.ids.newId("whe");
  const secret = generateWebhookSecret();
  const now = deps.clock.now();
  const endpoint: WebhookEndpoint = {
    id,
    tenantId: scope.tenant.id,
    url,
    description: input.description ?? null,
    eventTypes: [...new Set(input.eventTypes)],
    enabled: input.enabled,
    disabledReason: input.enabled ? null : "manual",
    secretEncrypted: await deps.vault.encrypt(secret, endpointSecretContext(scope.tenant.id, id)),
    previousSecretEncrypted: null,
    previousSecretExpiresAt: null,
    consecutiveFailures: 0,
    failingSince: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.storage.webhookEndpoints.insert(endpoint);
  await recordAuditEvent(deps, scope, { type: "webhook_endpoint.created", actor, subjectId: id, data: { url, event_types: endpoint.eventTypes } });
  return { endpoint, secret };
}

/** Partial update; enabling an endpoint clears its failure run so it gets a fresh start. */
export async function updateWebhookEndpoint(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  id: string,
  input: Partial<EndpointInput>,
  allowPrivate: boolean,
): Promise<WebhookEndpoint> {
  const patch: WebhookEndpointPatch = { updatedAt: deps.clock.now() };
  if (input.url !== undefined) patch.url = requireSafeUrl(input.url, allowPrivate);
  if (input.description !== undefined) patch.description = input.description;
  if (input.eventTypes !== undefined) patch.eventTypes = [...new Set(input.eventTypes)];
  if (input.enabled === true) Object.assign(patch, { enabled: true, disabledReason: null, consecutiveFailures: 0, failingSince: null });
  if (input.enabled === false) Object.assign(patch, { enabled: false, disabledReason: "manual" });
  const updated = await deps.storage.webhookEndpoints.update(scope.tenant.id, id, patch);
  if (!updated) throw new PlintoError("not_found", { detail: "no webhook endpoint with this id" });
  const changed = Object.keys(input).filter((key) => input[key as keyof EndpointInput] !== undefined);
  await recordAuditEvent(deps, scope, { type: "webhook_endpoint.updated", actor, subjectId: id, data: { changed } });
  return updated;
}

export async function deleteWebhookEndpoint(deps: CoreDeps, scope: TenantScope, actor: Actor, id: string): Promise<void> {
  if (!(await deps.storage.webhookEndpoints.delete(scope.tenant.id, id))) {
    throw new PlintoError("not_found", { detail: "no webhook endpoint with this id" });
  }
  await recordAuditEvent(deps, scope, { type: "webhook_endpoint.deleted", actor, subjectId: id });
}

/**
 * New secret, shown once. The old one keeps signing (a second `v1,`
 * signature) for `overlapSeconds`, so receivers can switch without dropping
 * deliveries; 0 ends it at once.
 */
export async function rotateWebhookSecret(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  id: string,
  overlapSeconds: number,
): Promise<{ secret: string; previousSecretExpiresAt: number | null }> {
  const endpoint = await requireEndpoint(deps, scope, id);
  const now = deps.clock.now();
  const secret = generateWebhookSecret();
  const previousSecretExpiresAt = overlapSeconds > 0 ? now + overlapSeconds * 1000 : null;
  await deps.storage.webhookEndpoints.update(scope.tenant.id, id, {
    secretEncrypted: await deps.vault.encrypt(secret, endpointSecretContext(scope.tenant.id, id)),
    previousSecretEncrypted: previousSecretExpiresAt === null ? null : endpoint.secretEncrypted,
    previousSecretExpiresAt,
    updatedAt: now,
  });
  await recordAuditEvent(deps, scope, { type: "webhook_endpoint.secret_rotated", actor, subjectId: id, data: { overlap_seconds: overlapSeconds } });
  return { secret, previousSecretExpiresAt };
}
