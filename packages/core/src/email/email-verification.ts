import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import type { User } from "../model";
import { EMAIL_SECRET_TTL_MS, issueToken, redeemToken } from "../one-time/one-time-secrets";
import type { Authenticated } from "../sessions/authenticate";
import { admitEmailRequest, minutesOf } from "./email-request-guard";
import { emailLink, resolveLinkBase } from "./links";
import { sendEmail } from "./send-email";

/**
 * Issues a single-use verification token (15 minutes, stored as its SHA-256)
 * bound to the user's current address, and mails it.
 */
export async function sendVerificationEmail(deps: CoreDeps, scope: TenantScope, user: User, linkBase: string | null): Promise<void> {
  const { token } = await issueToken(deps, scope, {
    purpose: "email_verification",
    subject: user.id,
    data: { email: user.emailNormalized },
    ttlMs: EMAIL_SECRET_TTL_MS,
  });
  await sendEmail(deps, scope, "email_verification", user.email, {
    link: emailLink(linkBase, token, "email_verification"),
    token,
    expires_in_minutes: minutesOf(EMAIL_SECRET_TTL_MS),
  });
  await recordAuditEvent(deps, scope, { type: "email.verification_sent", actor: { type: "system" }, subjectId: user.id });
}

/** Signed-in re-send: sent before answering, so a mail failure is a visible 503. */
export async function resendMyVerification(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  redirectUrl: string | undefined,
): Promise<void> {
  const linkBase = resolveLinkBase(scope, redirectUrl);
  if (auth.user.emailVerified) throw new PlintoError("conflict", { detail: "the email address is already verified" });
  await admitEmailRequest(deps, scope, "email_verification:ip", auth.user.emailNormalized);
  await sendVerificationEmail(deps, scope, auth.user, linkBase);
}

/**
 * Re-send for someone who cannot sign in yet (verification required): the
 * same answer whether or not the address has an unverified account; the work
 * happens after the response.
 */
export async function resendVerificationTo(
  deps: CoreDeps,
  scope: TenantScope,
  input: { email: string; redirectUrl?: string },
): Promise<void> {
  const linkBase = resolveLinkBase(scope, input.redirectUrl);
  const email = normalizeEmail(input.email);
  await admitEmailRequest(deps, scope, "email_verification:ip", email);
  await afterResponse(scope, async () => {
    const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
    if (!user || user.emailVerified || user.bannedAt !== null) return;
    await sendVerificationEmail(deps, scope, user, linkBase);
  });
}

/** Redeems a verification token once and marks the address verified, if it is still the user's address. */
export async function confirmEmailVerification(deps: CoreDeps, scope: TenantScope, token: string): Promise<User> {
  const row = await redeemToken(deps, scope, "email_verification", token);
  const user = row?.subject ? await deps.storage.users.getById(scope.tenant.id, row.subject) : null;
  if (!row || !user || user.emailNormalized !== row.data.email) throw new PlintoError("invalid_link_token");
  return markEmailVerified(deps, scope, user, "link");
}

/** Sets emailVerified and audits `email.verified` (no-op when it already is). */
export async function markEmailVerified(deps: CoreDeps, scope: TenantScope, user: User, via: string): Promise<User> {
  if (user.emailVerified) return user;
  const patch = { emailVerified: true, updatedAt: deps.clock.now() };
  await deps.storage.users.update(scope.tenant.id, user.id, patch);
  await recordAuditEvent(deps, scope, { type: "email.verified", actor: { type: "anonymous" }, subjectId: user.id, data: { via } });
  return { ...user, ...patch };
}
