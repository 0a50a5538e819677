import type { RevocationEntry } from "../../packages/core/src/ports/revocation-list";
import { REVOCATION_LEEWAY_MS } from "../../packages/core/src/ports/revocation-list";
import type { RevocationTarget } from "../../packages/core/src/ports/session-store";

/**
 * Queues revoked session ids for the tenant's revocation list, inside the
 * revoking transaction. A sid stays listed until every access token issued
 * for it before `now` has expired (plus leeway).
 */
export function enqueueRevocations(sql: SqlStorage, target: RevocationTarget, sessionIds: readonly string[], now: number): void {
  const until = now + target.accessTokenTtlSeconds * 1000 + REVOCATION_LEEWAY_MS;
  for (const id of sessionIds) {
    sql.exec(
      `INSERT INTO revocation_outbox (list, session_id, until) VALUES (?, ?, ?)
       ON CONFLICT (list, session_id) DO UPDATE SET until = MAX(until, excluded.until)`,
      target.list,
      id,
      until,
    );
  }
}

export interface PendingBatch {
  list: string;
  entries: RevocationEntry[];
}

export function pendingRevocations(sql: SqlStorage): PendingBatch[] {
  const batches = new Map<string, RevocationEntry[]>();
  for (const row of sql.exec<{ list: string; session_id: string; until: number }>("SELECT * FROM revocation_outbox")) {
    const entries = batches.get(row.list) ?? [];
    entries.push({ kind: "session", id: row.session_id, until: row.until });
    batches.set(row.list, entries);
  }
  return [...batches].map(([list, entries]) => ({ list, entries }));
}

/** Removes delivered rows (only those not extended meanwhile). */
export function markDelivered(sql: SqlStorage, batch: PendingBatch): void {
  for (const entry of batch.entries) {
    sql.exec("DELETE FROM revocation_outbox WHERE list = ? AND session_id = ? AND until <= ?", batch.list, entry.id, entry.until);
  }
}

export function hasPendingRevocations(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM revocation_outbox LIMIT 1").toArray().length > 0;
}
