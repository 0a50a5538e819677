/**
 * Purging of finished sessions. A session's rows, including its rotated token
 * digests, stay while it could still be refreshed so that reuse is detected
 * (RFC 9700 §4.14.2); once it has been revoked or expired for RETENTION_MS
 * they go. The planned alarm time is stored, and `alarm()` judges age against
 * it, so no code here reads the wall clock.
 */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** When a session stopped being usable: its revocation, else its idle end (never after its absolute end). */
const ENDED_AT = "MIN(COALESCE(revoked_at, idle_expires_at), idle_expires_at, expires_at)";

export function plannedCleanupAt(sql: SqlStorage): number | null {
  const [row] = sql.exec<{ planned_at: number }>("SELECT planned_at FROM cleanup WHERE id = 1").toArray();
  return row ? row.planned_at : null;
}

/**
 * Plans the cleanup for when the earliest-ending session becomes purgeable.
 * Returns the new alarm time to set, or null when the current plan already
 * comes first (a later, spurious wake-up just plans again) or nothing is stored.
 */
export function planCleanup(sql: SqlStorage): number | null {
  const { next } = sql.exec<{ next: number | null }>(`SELECT MIN(${ENDED_AT}) + ? AS next FROM sessions`, RETENTION_MS).one();
  const planned = plannedCleanupAt(sql);
  if (next === null || (planned !== null && planned <= next)) return null;
  sql.exec(
    "INSERT INTO cleanup (id, planned_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET planned_at = excluded.planned_at",
    next,
  );
  return next;
}

/** Deletes sessions, with their token digests, that ended at least RETENTION_MS before `at`; returns how many. */
export function purgeEndedSessions(sql: SqlStorage, at: number): number {
  const old = `SELECT id FROM sessions WHERE ${ENDED_AT} + ?1 <= ?2`;
  sql.exec(`DELETE FROM refresh_tokens WHERE session_id IN (${old})`, RETENTION_MS, at);
  return sql.exec(`DELETE FROM sessions WHERE id IN (${old})`, RETENTION_MS, at).rowsWritten;
}

/** The alarm's work: purge against the planned time, then plan the next run (alarm time or null). */
export function runCleanup(sql: SqlStorage): number | null {
  const planned = plannedCleanupAt(sql);
  sql.exec("DELETE FROM cleanup");
  if (planned !== null) purgeEndedSessions(sql, planned);
  return planCleanup(sql);
}
