import { recordAuditEvent } from "../audit/record-audit-event";
import type { TenantScope } from "../deps";
import type { Tenant } from "../model";
import type { WebhookDeps } from "./fan-out";
import type { WebhookEndpoint } from "./model";
import { shouldDisable } from "./retry-policy";

/** Scope of work done by the system outside any request (the queue consumer). */
export const systemScope = (tenant: Tenant): TenantScope => ({ tenant, issuer: "", request: { ip: null, userAgent: null } });

/**
 * After a failed attempt: count it, and switch the endpoint off once the
 * failure run is persistent (retry-policy.ts shouldDisable), with the audit
 * event `webhook_endpoint.disabled` written once by whoever disabled it.
 */
export async function disableIfFailing(deps: WebhookDeps, endpoint: WebhookEndpoint, now: number): Promise<void> {
  const run = await deps.storage.webhookEndpoints.recordFailure(endpoint.id, now);
  if (!run || !shouldDisable(run.consecutiveFailures, run.failingSince, now)) return;
  if (!(await deps.storage.webhookEndpoints.disableFailing(endpoint.id, now))) return;
  const tenant = await deps.storage.tenants.getById(endpoint.tenantId);
  if (!tenant) return;
  await recordAuditEvent(deps, systemScope(tenant), {
    type: "webhook_endpoint.disabled",
    actor: { type: "system" },
    subjectId: endpoint.id,
    data: { reason: "failing", consecutive_failures: run.consecutiveFailures, failing_since: new Date(run.failingSince).toISOString() },
  });
}
