import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { SessionRecord } from "../ports/session-store";
import type { Authenticated } from "./authenticate";
import { revocationTarget } from "./revocation-target";

export async function listMySessions(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<SessionRecord[]> {
  return deps.sessions.forUser(scope.tenant.id, auth.user.id).list(deps.clock.now());
}

/** Revokes one of the caller's sessions (the current one signs out). Another user's session id is simply not found. */
export async function revokeMySession(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  sessionId: string,
): Promise<void> {
  const reason = sessionId === auth.session.id ? "sign_out" : "revoked_by_user";
  const revoked = await deps.sessions.forUser(scope.tenant.id, auth.user.id).revoke(sessionId, reason, deps.clock.now(), revocationTarget(scope));
  if (!revoked) throw new PlintoError("not_found", { detail: "no active session with this id" });
  await recordAuditEvent(deps, scope, {
    type: "session.revoked",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { session_ids: [sessionId], reason },
  });
}

/** Revokes every session of the caller except the current one. */
export async function revokeMyOtherSessions(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<string[]> {
  const revoked = await deps.sessions
    .forUser(scope.tenant.id, auth.user.id)
    .revokeAll("revoked_by_user", deps.clock.now(), revocationTarget(scope), auth.session.id);
  if (revoked.length > 0) {
    await recordAuditEvent(deps, scope, {
      type: "session.revoked",
      actor: auth.actor,
      subjectId: auth.user.id,
      data: { session_ids: revoked, reason: "revoked_by_user" },
    });
  }
  return revoked;
}
