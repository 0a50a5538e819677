/**
 * Storage layout of one session-store object (one per `{tenantId}:{userId}`).
 *
 * - `sessions`: one row per session, i.e. per refresh-token family
 *   (RFC 9700 §4.14.2). Revoked and expired rows stay until cleanup.
 *   `verified_at` is the last sign-in or step-up, `organization_id` the
 *   active organization (both added later; see addMissingColumns).
 * - `refresh_tokens`: SHA-256 digests of every refresh token issued in a
 *   family. Exactly one per session has `rotated_at IS NULL` (the current
 *   token); rotated digests are kept until the session is purged so that a
 *   replayed old token is recognised as reuse (RFC 9700 §4.14.2).
 * - `cleanup`: the single planned alarm time, so `alarm()` judges age against
 *   the time it was planned for instead of reading the wall clock.
 * - `revocation_outbox`: revoked session ids not yet acknowledged by the
 *   tenant's revocation-list object. Written in the same transaction as the
 *   revocation, delivered before the call returns, retried by the alarm, so a
 *   revocation can be late but is never lost.
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    idle_expires_at INTEGER NOT NULL,
    ip TEXT,
    user_agent TEXT,
    amr TEXT NOT NULL,
    verified_at INTEGER,
    organization_id TEXT,
    revoked_at INTEGER,
    revoke_reason TEXT
  )`,
  `CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash TEXT NOT NULL,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    issued_at INTEGER NOT NULL,
    rotated_at INTEGER
  )`,
  `CREATE UNIQUE INDEX IF NOT EXISTS refresh_tokens_by_hash ON refresh_tokens (token_hash)`,
  `CREATE INDEX IF NOT EXISTS refresh_tokens_by_session ON refresh_tokens (session_id)`,
  `CREATE TABLE IF NOT EXISTS revocation_outbox (
    list TEXT NOT NULL,
    session_id TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (list, session_id)
  )`,
  `CREATE TABLE IF NOT EXISTS cleanup (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    planned_at INTEGER NOT NULL
  )`,
];

/** Creates the tables and indexes when missing; safe to run on every start. */
/** True once the object has ever stored a session (tables exist). Reading this writes nothing. */
export function hasSchema(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").toArray().length > 0;
}

export function migrate(sql: SqlStorage): void {
  for (const statement of statements) sql.exec(statement);
  addMissingColumns(sql);
}

/**
 * Columns added after objects already existed: `CREATE TABLE IF NOT EXISTS`
 * leaves an old table as it was, so each is added when missing.
 * - `sessions.verified_at` (step-up): NULL for old rows, read as `created_at`.
 * - `sessions.organization_id` (active organization): NULL for old rows, i.e. none.
 */
function addMissingColumns(sql: SqlStorage): void {
  const columns = new Set(sql.exec<{ name: string }>("PRAGMA table_info(sessions)").toArray().map((column) => column.name));
  if (!columns.has("verified_at")) sql.exec("ALTER TABLE sessions ADD COLUMN verified_at INTEGER");
  if (!columns.has("organization_id")) sql.exec("ALTER TABLE sessions ADD COLUMN organization_id TEXT");
}
