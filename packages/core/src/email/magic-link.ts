import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import { EMAIL_SECRET_TTL_MS, issueToken, redeemToken } from "../one-time/one-time-secrets";
import { completeFirstFactor, type SignInResult } from "../sessions/complete-sign-in";
import { enforceRateLimit } from "../sessions/rate-limits";
import { admitEmailRequest, minutesOf } from "./email-request-guard";
import { markEmailVerified } from "./email-verification";
import { emailLink, resolveLinkBase } from "./links";
import { sendEmail } from "./send-email";

/**
 * Magic links prove control of the mailbox. RFC 8176 registers no value for
 * that; "email" is the value OpenID providers commonly emit for it and is
 * what a relying party checking `amr` will look for.
 */
export const MAGIC_LINK_AMR = ["email"];

/** `POST /magic-links`: same answer for every address; the link is made and sent after the response. */
export async function requestMagicLink(
  deps: CoreDeps,
  scope: TenantScope,
  input: { email: string; redirectUrl?: string },
): Promise<void> {
  const linkBase = resolveLinkBase(scope, input.redirectUrl);
  const email = normalizeEmail(input.email);
  await admitEmailRequest(deps, scope, "magic_link:ip", email);
  await afterResponse(scope, async () => {
    const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
    if (!user || user.bannedAt !== null) return;
    const { token } = await issueToken(deps, scope, {
      purpose: "magic_link",
      subject: user.id,
      data: { email: user.emailNormalized },
      ttlMs: EMAIL_SECRET_TTL_MS,
    });
    await sendEmail(deps, scope, "magic_link", user.email, {
      link: emailLink(linkBase, token, "magic_link"),
      token,
      expires_in_minutes: minutesOf(EMAIL_SECRET_TTL_MS),
    });
    await recordAuditEvent(deps, scope, { type: "magic_link.sent", actor: { type: "anonymous" }, subjectId: user.id });
  });
}

/**
 * `POST /sessions/magic-link`: redeems the link once (conditional DELETE ...
 * RETURNING), marks the address verified, then the shared first-factor
 * decision (which may still ask for MFA).
 */
export async function signInWithMagicLink(deps: CoreDeps, scope: TenantScope, token: string): Promise<SignInResult> {
  await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_ip,
    windowSeconds: 60,
  });
  const row = await redeemToken(deps, scope, "magic_link", token);
  const user = row?.subject ? await deps.storage.users.getById(scope.tenant.id, row.subject) : null;
  if (!row || !user || user.emailNormalized !== row.data.email) {
    await recordAuditEvent(deps, scope, {
      type: "sign_in.failed",
      actor: { type: "anonymous" },
      subjectId: user?.id ?? null,
      data: { reason: "invalid_magic_link" },
    });
    throw new PlintoError("invalid_link_token");
  }
  const verified = await markEmailVerified(deps, scope, user, "magic_link");
  return completeFirstFactor(deps, scope, verified, { amr: MAGIC_LINK_AMR });
}
