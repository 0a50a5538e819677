import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { redeemToken } from "../one-time/one-time-secrets";
import { assertPasswordAllowed } from "../passwords/password-policy";
import { revocationTarget } from "../sessions/revocation-target";
import { requestEmailLink } from "./link-request";
import { sendEmail } from "./send-email";

/**
 * `POST /password-reset`: always the same answer. The look-up, the token
 * (256 bits, stored as its SHA-256, 15 minutes, single use) and the mail
 * happen after the response, so neither body nor timing tells whether the
 * address has an account. Unknown addresses get no mail and leave no row.
 */
export const requestPasswordReset = (deps: CoreDeps, scope: TenantScope, input: { email: string; redirectUrl?: string }): Promise<void> =>
  requestEmailLink(deps, scope, { purpose: "password_reset", ipBucket: "password_reset:ip", auditType: "password_reset.requested" }, input);

/**
 * `POST /password-reset/confirm`: redeems the token once, sets the new
 * password (the tenant's policy, NIST SP 800-63B §5.1.1.2), marks the address
 * verified (the token proved it), voids the user's other reset tokens and
 * revokes every session (a thief's session must not survive the reset).
 * A password the policy refuses puts the token back: nothing is written.
 */
export async function confirmPasswordReset(
  deps: CoreDeps,
  scope: TenantScope,
  input: { token: string; newPassword: string },
): Promise<{ revokedSessions: string[] }> {
  const row = await redeemToken(deps, scope, "password_reset", input.token);
  const user = row?.subject ? await deps.storage.users.getById(scope.tenant.id, row.subject) : null;
  if (!row || !user || user.emailNormalized !== row.data.email) throw new PlintoError("invalid_link_token");
  try {
    assertPasswordAllowed(input.newPassword, scope.tenant.settings.password_policy, user.emailNormalized, "new_password");
  } catch (error) {
    await deps.storage.oneTimeTokens.put(row);
    throw error;
  }
  const now = deps.clock.now();
  await deps.storage.users.update(scope.tenant.id, user.id, {
    passwordHash: await deps.hasher.hash(input.newPassword),
    emailVerified: true,
    updatedAt: now,
  });
  await deps.storage.oneTimeTokens.deleteForSubject(scope.tenant.id, "password_reset", user.id);
  const revokedSessions = await deps.sessions.forUser(scope.tenant.id, user.id).revokeAll("password_changed", now, revocationTarget(scope));
  await recordAuditEvent(deps, scope, {
    type: "password_reset.completed",
    actor: { type: "anonymous" },
    subjectId: user.id,
    data: { revoked_sessions: revokedSessions.length },
  });
  await afterResponse(scope, () => sendEmail(deps, scope, "password_changed", user.email, {}));
  return { revokedSessions };
}
