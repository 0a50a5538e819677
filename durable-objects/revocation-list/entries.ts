import type { RevocationSnapshot } from "../../packages/contracts/src/revocations";
import type { RevocationEntry } from "../../packages/core/src/ports/revocation-list";

export function currentEpoch(sql: SqlStorage): number {
  return sql.exec<{ epoch: number }>("SELECT epoch FROM meta WHERE id = 1").one().epoch;
}

/** Upserts entries (keeping the later `until`) under a new epoch; returns it. */
export function addEntries(sql: SqlStorage, entries: readonly RevocationEntry[]): number {
  const epoch = currentEpoch(sql) + 1;
  for (const entry of entries) {
    sql.exec(
      `INSERT INTO entries (kind, id, until, epoch) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (kind, id) DO UPDATE SET until = MAX(until, excluded.until), epoch = excluded.epoch`,
      entry.kind,
      entry.id,
      entry.until,
      epoch,
    );
  }
  sql.exec("UPDATE meta SET epoch = ? WHERE id = 1", epoch);
  return epoch;
}

/** Every entry still in force at `now`, grouped by kind. */
export function readSnapshot(sql: SqlStorage, tenant: string, now: number): RevocationSnapshot {
  const snapshot: RevocationSnapshot = {
    tenant,
    epoch: currentEpoch(sql),
    generated_at: now,
    sessions: {},
    tokens: {},
    keys: {},
  };
  const groups = { session: snapshot.sessions, token: snapshot.tokens, key: snapshot.keys } as const;
  for (const row of sql.exec<{ kind: RevocationEntry["kind"]; id: string; until: number }>(
    "SELECT kind, id, until FROM entries WHERE until > ?",
    now,
  )) {
    groups[row.kind][row.id] = row.until;
  }
  return snapshot;
}

/** Deletes entries that ended before `at`; returns the next `until` to wake for, or null. */
export function pruneEntries(sql: SqlStorage, at: number): number | null {
  sql.exec("DELETE FROM entries WHERE until <= ?", at);
  const { next } = sql.exec<{ next: number | null }>("SELECT MIN(until) AS next FROM entries").one();
  return next;
}
