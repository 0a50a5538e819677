/**
 * Storage of one revocation-list object (one per tenant slug).
 *
 * - `entries`: revoked ids by kind (`session` = sid, `token` = jti, `key` = kid)
 *   with `until`, the time after which no token they affect can be valid, and
 *   the epoch that added or extended them.
 * - `meta`: the current epoch (grows by one per change, never goes back).
 */
const statements = [
  `CREATE TABLE IF NOT EXISTS entries (
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    until INTEGER NOT NULL,
    epoch INTEGER NOT NULL,
    PRIMARY KEY (kind, id)
  )`,
  "CREATE INDEX IF NOT EXISTS entries_by_until ON entries (until)",
  `CREATE TABLE IF NOT EXISTS meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    epoch INTEGER NOT NULL
  )`,
  "INSERT OR IGNORE INTO meta (id, epoch) VALUES (1, 0)",
];

export function migrate(sql: SqlStorage): void {
  for (const statement of statements) sql.exec(statement);
}
