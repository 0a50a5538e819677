import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import { newDelivery } from "./fan-out";
import { requireEndpoint } from "./manage-endpoints";

/** Most deliveries one "replay failed since T" call sets back to pending; call again for more. */
export const REPLAY_BATCH_LIMIT = 1_000;

/**
 * Manual replay (issue 6): a failed delivery goes back to pending and onto the
 * queue with a fresh retry schedule; the body and `webhook-id` stay the same,
 * so receivers can deduplicate.
 */
export async function replayDelivery(deps: CoreDeps, scope: TenantScope, actor: Actor, deliveryId: string): Promise<void> {
  const delivery = await deps.storage.webhookDeliveries.get(scope.tenant.id, deliveryId);
  if (!delivery) throw new PlintoError("not_found", { detail: "no webhook delivery with this id" });
  const ids = await deps.storage.webhookDeliveries.markForReplay(scope.tenant.id, { id: deliveryId });
  if (ids.length === 0) throw new PlintoError("conflict", { detail: `only failed deliveries can be replayed; this one is ${delivery.status}` });
  await deps.events.enqueueDeliveries(scope.tenant.id, ids);
  await recordAuditEvent(deps, scope, { type: "webhook_delivery.replayed", actor, subjectId: deliveryId, data: { count: 1 } });
}

/** Replays every failed delivery created at or after `since` (optionally of one endpoint). */
export async function replayFailedSince(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  since: number,
  endpointId?: string,
): Promise<number> {
  if (endpointId) await requireEndpoint(deps, scope, endpointId);
  const ids = await deps.storage.webhookDeliveries.markForReplay(scope.tenant.id, { since, endpointId, limit: REPLAY_BATCH_LIMIT });
  await deps.events.enqueueDeliveries(scope.tenant.id, ids);
  await recordAuditEvent(deps, scope, {
    type: "webhook_delivery.replayed",
    actor,
    subjectId: endpointId ?? null,
    data: { count: ids.length, since: new Date(since).toISOString() },
  });
  return ids.length;
}

/** A `webhook.test` event for one enabled endpoint, whatever it subscribes to. */
export async function sendTestEvent(deps: CoreDeps, scope: TenantScope, endpointId: string): Promise<string> {
  const endpoint = await requireEndpoint(deps, scope, endpointId);
  if (!endpoint.enabled) throw new PlintoError("conflict", { detail: "the endpoint is disabled; enable it first" });
  const event = { id: deps.ids.newId("evt"), type: "webhook.test" as const, occurredAt: deps.clock.now(), data: { endpoint_id: endpoint.id } };
  const delivery = newDelivery(deps, scope.tenant.id, endpoint.id, event);
  await deps.storage.webhookDeliveries.insertMany([delivery]);
  await deps.events.enqueueDeliveries(scope.tenant.id, [delivery.id]);
  return delivery.id;
}
