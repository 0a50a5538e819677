import type { Storage } from "../ports/repositories";
import { sealAfter, type AuditSeal, type ChainHead, type UnsealedAuditEvent } from "./chain-hash";

export interface SealLimits {
  /** Rows read and written per round. */
  batchSize: number;
  /** Upper bound on rows sealed by one call; the next trigger picks up the rest. */
  maxRows: number;
  /** Rounds lost to another sealer before giving up (each loss means that sealer advanced the chain). */
  maxLostRaces: number;
}

export const DEFAULT_SEAL_LIMITS: SealLimits = { batchSize: 100, maxRows: 2_000, maxLostRaces: 3 };

/**
 * For a caller that must find every current row sealed (the verify endpoint):
 * a lost race only means another sealer advanced the chain, so it keeps going
 * rather than leaving rows to a background sealer that may still be mid-batch.
 */
export const SEAL_UNTIL_DONE_LIMITS: SealLimits = { batchSize: 100, maxRows: 10_000, maxLostRaces: 10_000 };

export interface SealOutcome {
  sealed: number;
  /** False when rows may remain: the row budget ran out or another sealer kept winning. */
  complete: boolean;
}

/** Links `rows` one after another from `head`: each hash covers the previous one and the row's stored personal digest. */
async function linksFrom(head: ChainHead | null, rows: UnsealedAuditEvent[]): Promise<AuditSeal[]> {
  const seals: AuditSeal[] = [];
  let previous = head;
  for (const row of rows) {
    const seal = await sealAfter(row, previous);
    seals.push(seal);
    previous = { seq: seal.seq, hash: seal.hash };
  }
  return seals;
}

/**
 * Seals the tenant's unsealed audit rows into its hash chain (docs/audit.md):
 * reads the head and a batch of unsealed rows, links them in order and writes
 * the links with conditional updates. Any number of sealers may run at once:
 * a write only takes if its row is unsealed, its predecessor holds the hash it
 * links to and its seq is free (unique index), so the chain cannot fork; a
 * sealer that loses re-reads, and after `maxLostRaces` leaves the rest to the
 * next run.
 */
export async function sealAuditChain(deps: { storage: Pick<Storage, "audit"> }, tenantId: string, limits = DEFAULT_SEAL_LIMITS): Promise<SealOutcome> {
  let sealed = 0;
  let lost = 0;
  while (sealed < limits.maxRows) {
    const { head, rows } = await deps.storage.audit.unsealed(tenantId, Math.min(limits.batchSize, limits.maxRows - sealed));
    if (rows.length === 0) return { sealed, complete: true };
    const seals = await linksFrom(head, rows);
    const written = await deps.storage.audit.seal(tenantId, seals);
    sealed += written;
    if (written < seals.length && ++lost > limits.maxLostRaces) return { sealed, complete: false };
  }
  return { sealed, complete: false };
}
