import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { type IssuedTokens, signSessionAccessToken } from "./issue-tokens";
import { newRefreshToken, refreshTokenUserId } from "./refresh-token";
import { revocationTarget } from "./revocation-target";

/**
 * Refresh-token rotation (RFC 9700 §4.14.2): every use returns a new refresh
 * token; presenting an already-rotated one revokes the whole session and
 * answers `refresh_token_reused`. The session-store object serialises the
 * check, so of two concurrent uses of one token exactly one succeeds.
 */
export async function refreshSession(deps: CoreDeps, scope: TenantScope, presented: string): Promise<IssuedTokens> {
  const userId = refreshTokenUserId(presented);
  if (!userId) throw new PlintoError("invalid_refresh_token");
  const next = newRefreshToken(userId);
  const [presentedHash, nextHash] = await Promise.all([sha256(presented), sha256(next)]);
  const result = await deps.sessions.forUser(scope.tenant.id, userId).rotate({
    presentedHash,
    nextHash,
    now: deps.clock.now(),
    ip: scope.request.ip,
    userAgent: scope.request.userAgent,
    idleTtlSeconds: scope.tenant.settings.tokens.refresh_idle_ttl_seconds,
    revocation: revocationTarget(scope),
  });
  if (result.status === "invalid") throw new PlintoError("invalid_refresh_token");
  if (result.status === "reused") {
    await recordAuditEvent(deps, scope, {
      type: "session.refresh_token_reused",
      actor: { type: "anonymous" },
      subjectId: userId,
      data: { session_id: result.session.id },
    });
    throw new PlintoError("refresh_token_reused");
  }
  return { ...(await signSessionAccessToken(deps, scope, result.session)), refreshToken: next, session: result.session };
}
