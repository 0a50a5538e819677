import type {
  CreateSessionInput,
  RevocationTarget,
  RevokeReason,
  SessionRecord,
} from "../../packages/core/src/ports/session-store";
import { enqueueRevocations } from "./revocation-outbox";
import { parseAmr, serializeAmr, toRecord, type SessionRow } from "./rows";

/** SQL twin of `isActive` in rows.ts; `?1` is `now`. */
const ACTIVE = "revoked_at IS NULL AND ?1 < expires_at AND ?1 < idle_expires_at";

/** Inserts a session (a new refresh-token family) and its first token digest. */
export function createSession(sql: SqlStorage, input: CreateSessionInput): SessionRecord {
  const expiresAt = input.now + input.absoluteTtlSeconds * 1000;
  const idleExpiresAt = Math.min(expiresAt, input.now + input.idleTtlSeconds * 1000);
  const row = sql
    .exec<SessionRow>(
      `INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, idle_expires_at, ip, user_agent, amr, verified_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      input.sessionId,
      input.userId,
      input.now,
      input.now,
      expiresAt,
      idleExpiresAt,
      input.ip,
      input.userAgent,
      serializeAmr(input.amr),
      input.now,
    )
    .one();
  sql.exec(
    "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)",
    input.refreshTokenHash,
    input.sessionId,
    input.now,
  );
  return toRecord(row);
}

export function findActiveSession(sql: SqlStorage, sessionId: string, now: number): SessionRecord | null {
  const [row] = sql.exec<SessionRow>(`SELECT * FROM sessions WHERE id = ?2 AND ${ACTIVE}`, now, sessionId).toArray();
  return row ? toRecord(row) : null;
}

/** The active session whose current (not rotated) refresh token has this digest; reads only. */
export function findSessionByCurrentToken(sql: SqlStorage, presentedHash: string, now: number): SessionRecord | null {
  const [row] = sql
    .exec<SessionRow>(
      `SELECT s.* FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = ?2 AND t.rotated_at IS NULL AND ${ACTIVE}`,
      now,
      presentedHash,
    )
    .toArray();
  return row ? toRecord(row) : null;
}

/** Step-up: the session was re-verified at `now` with `amr` (merged into the methods it holds). */
export function markSessionVerified(sql: SqlStorage, sessionId: string, amr: readonly string[], now: number): SessionRecord | null {
  const [row] = sql.exec<SessionRow>(`SELECT * FROM sessions WHERE id = ?2 AND ${ACTIVE}`, now, sessionId).toArray();
  if (!row) return null;
  const merged = [...new Set([...parseAmr(row.amr), ...amr])];
  const updated = sql
    .exec<SessionRow>("UPDATE sessions SET verified_at = ?, amr = ? WHERE id = ? RETURNING *", now, serializeAmr(merged), sessionId)
    .one();
  return toRecord(updated);
}

/** Sets or clears the active organization of an active session. */
export function setActiveOrganization(sql: SqlStorage, sessionId: string, organizationId: string | null, now: number): SessionRecord | null {
  const [row] = sql
    .exec<SessionRow>(`UPDATE sessions SET organization_id = ?3 WHERE id = ?2 AND ${ACTIVE} RETURNING *`, now, sessionId, organizationId)
    .toArray();
  return row ? toRecord(row) : null;
}

export function listActiveSessions(sql: SqlStorage, now: number): SessionRecord[] {
  return sql
    .exec<SessionRow>(`SELECT * FROM sessions WHERE ${ACTIVE} ORDER BY created_at DESC, id DESC`, now)
    .toArray()
    .map(toRecord);
}

export function revokeSession(
  sql: SqlStorage,
  sessionId: string,
  reason: RevokeReason,
  now: number,
  target: RevocationTarget,
): SessionRecord | null {
  const [row] = sql
    .exec<SessionRow>(
      `UPDATE sessions SET revoked_at = ?1, revoke_reason = ?2 WHERE id = ?3 AND ${ACTIVE} RETURNING *`,
      now,
      reason,
      sessionId,
    )
    .toArray();
  if (!row) return null;
  enqueueRevocations(sql, target, [row.id], now);
  return toRecord(row);
}

/** Revokes every active session but `exceptSessionId` (none when null); ids newest first. */
export function revokeAllSessions(
  sql: SqlStorage,
  reason: RevokeReason,
  now: number,
  target: RevocationTarget,
  exceptSessionId: string | null,
): string[] {
  const ids = sql
    .exec<Pick<SessionRow, "id" | "created_at">>(
      `UPDATE sessions SET revoked_at = ?1, revoke_reason = ?2
       WHERE ${ACTIVE} AND id IS NOT ?3 RETURNING id, created_at`,
      now,
      reason,
      exceptSessionId,
    )
    .toArray()
    .sort((a, b) => b.created_at - a.created_at || (a.id < b.id ? 1 : -1))
    .map((row) => row.id);
  enqueueRevocations(sql, target, ids, now);
  return ids;
}
