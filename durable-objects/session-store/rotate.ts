import type {
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
} from "../../packages/core/src/ports/session-store";
import { enqueueRevocations } from "./revocation-outbox";
import { isActive, toRecord, type SessionRow } from "./rows";

type PresentedToken = SessionRow & { rotated_at: number | null };

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2): every use
 * of a refresh token issues a new one and retires the old; if a retired token
 * is presented again, either the legitimate client or an attacker holds a
 * stolen copy, so the whole family (the session) is revoked.
 *
 * Synchronous on purpose: the lookup and the writes run without an await in
 * between, so the object's input gate serialises concurrent rotations and only
 * one of two racing requests with the same token can see it as current.
 * The digest is looked up through a unique index; it is a SHA-256 of a
 * high-entropy token, so the lookup's timing reveals nothing usable.
 */
export function rotateRefreshToken(sql: SqlStorage, input: RotateRefreshTokenInput): RotateRefreshTokenResult {
  const [found] = sql
    .exec<PresentedToken>(
      `SELECT s.*, t.rotated_at FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id
       WHERE t.token_hash = ?`,
      input.presentedHash,
    )
    .toArray();
  if (!found || !isActive(found, input.now)) return { status: "invalid" };
  if (found.rotated_at !== null) return revokeReusedFamily(sql, found.id, input);
  return rotateCurrent(sql, found, input);
}

function revokeReusedFamily(sql: SqlStorage, sessionId: string, input: RotateRefreshTokenInput): RotateRefreshTokenResult {
  const row = sql
    .exec<SessionRow>(
      "UPDATE sessions SET revoked_at = ?, revoke_reason = 'refresh_token_reused' WHERE id = ? RETURNING *",
      input.now,
      sessionId,
    )
    .one();
  enqueueRevocations(sql, input.revocation, [sessionId], input.now);
  return { status: "reused", session: toRecord(row) };
}

function rotateCurrent(sql: SqlStorage, session: SessionRow, input: RotateRefreshTokenInput): RotateRefreshTokenResult {
  const idleExpiresAt = Math.min(session.expires_at, input.now + input.idleTtlSeconds * 1000);
  sql.exec("UPDATE refresh_tokens SET rotated_at = ? WHERE token_hash = ?", input.now, input.presentedHash);
  sql.exec(
    "INSERT INTO refresh_tokens (token_hash, session_id, issued_at) VALUES (?, ?, ?)",
    input.nextHash,
    session.id,
    input.now,
  );
  const row = sql
    .exec<SessionRow>(
      `UPDATE sessions SET last_used_at = ?, ip = ?, user_agent = ?, idle_expires_at = ?
       WHERE id = ? RETURNING *`,
      input.now,
      input.ip,
      input.userAgent,
      idleExpiresAt,
      session.id,
    )
    .one();
  return { status: "rotated", session: toRecord(row) };
}
