import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { UserPatch } from "../ports/repositories";
import { definedKeys } from "./defined-keys";
import { requireRecentAuthentication } from "../mfa/step-up-guard";
import type { User } from "../model";
import { assertPasswordAllowed } from "../passwords/password-policy";
import type { Authenticated } from "../sessions/authenticate";
import { enforceRateLimit } from "../sessions/rate-limits";
import { revocationTarget } from "../sessions/revocation-target";

export interface UpdateMeInput {
  name?: string | null;
  metadata?: Record<string, unknown>;
}

export async function updateMe(deps: CoreDeps, scope: TenantScope, auth: Authenticated, input: UpdateMeInput): Promise<User> {
  const patch: UserPatch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.metadata !== undefined ? { metadata: input.metadata } : {}),
    updatedAt: deps.clock.now(),
  };
  await deps.storage.users.update(scope.tenant.id, auth.user.id, patch);
  const updated: User = { ...auth.user, ...patch };
  await recordAuditEvent(deps, scope, {
    type: "user.updated",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { fields: definedKeys(input) },
  });
  return updated;
}

/**
 * Changes the password after re-checking the current one, then revokes every
 * other session of the user (a stolen session must not survive a reset).
 * A sensitive action: the session must have authenticated recently (step-up).
 */
export async function changePassword(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  input: { currentPassword: string; newPassword: string },
): Promise<{ revokedSessions: string[] }> {
  const { settings } = scope.tenant;
  requireRecentAuthentication(deps, scope, auth);
  await enforceRateLimit(deps, scope, "password_change:account", auth.user.id, {
    limit: settings.rate_limits.sign_in_per_minute_per_account,
    windowSeconds: 60,
  });
  const check = auth.user.passwordHash
    ? await deps.hasher.verify(auth.user.passwordHash, input.currentPassword)
    : { ok: false, needsRehash: false };
  if (!check.ok) throw new PlintoError("invalid_credentials", { detail: "current password is incorrect" });
  assertPasswordAllowed(input.newPassword, settings.password_policy, auth.user.emailNormalized, "new_password");
  const now = deps.clock.now();
  await deps.storage.users.update(scope.tenant.id, auth.user.id, {
    passwordHash: await deps.hasher.hash(input.newPassword),
    updatedAt: now,
  });
  const revokedSessions = await deps.sessions
    .forUser(scope.tenant.id, auth.user.id)
    .revokeAll("password_changed", now, revocationTarget(scope), auth.session.id);
  await recordAuditEvent(deps, scope, {
    type: "user.password_changed",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { revoked_sessions: revokedSessions.length },
  });
  return { revokedSessions };
}
