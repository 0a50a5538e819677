import { DEFAULT_SEAL_LIMITS, sealAuditChain, type Storage } from "@plinto/core";

/** Tenants looked up at a time. */
const TENANTS_PER_ROUND = 200;
/** Rounds per run at most, so one run's work stays bounded; the next run (or the tenant's next request) picks up the rest. */
const MAX_ROUNDS = 5;
const LIMITS = { ...DEFAULT_SEAL_LIMITS, maxRows: 1_000 };

/**
 * Cron backstop of the after-response sealer (middleware/seal-audit.ts):
 * seals every tenant with unsealed audit rows, each up to the sealer's row
 * budget, e.g. rows recorded by the webhooks worker or whose request's
 * `waitUntil` was cut short. Returns how many rows were sealed.
 */
export async function sealPendingAuditChains(storage: Storage): Promise<number> {
  let sealed = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const tenants = await storage.audit.tenantsWithUnsealed(TENANTS_PER_ROUND);
    if (tenants.length === 0) break;
    for (const tenantId of tenants) sealed += (await sealAuditChain({ storage }, tenantId, LIMITS)).sealed;
  }
  return sealed;
}
