import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import { EMAIL_SECRET_TTL_MS, issueCode, redeemCode } from "../one-time/one-time-secrets";
import { completeFirstFactor, type SignInResult } from "../sessions/complete-sign-in";
import { enforceRateLimit } from "../sessions/rate-limits";
import { admitEmailRequest, minutesOf } from "./email-request-guard";
import { markEmailVerified } from "./email-verification";
import { sendEmail } from "./send-email";

/**
 * RFC 8176 §2 "otp": a one-time password; "email" names the channel it came
 * through (not in the RFC 8176 registry, but the value OpenID providers use
 * for email-delivered factors), so a relying party can tell it from TOTP.
 */
export const EMAIL_CODE_AMR = ["otp", "email"];

/**
 * `POST /email-codes`: same answer for every address. The 6-digit code (one
 * live code per address: a new one replaces the old) is made and sent after
 * the response; unknown addresses get no mail and leave no row.
 */
export async function requestEmailCode(deps: CoreDeps, scope: TenantScope, input: { email: string }): Promise<void> {
  const email = normalizeEmail(input.email);
  await admitEmailRequest(deps, scope, "email_code:ip", email);
  await afterResponse(scope, async () => {
    const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
    if (!user || user.bannedAt !== null) return;
    const { code } = await issueCode(deps, scope, {
      purpose: "email_code",
      subject: email,
      data: { user_id: user.id },
      ttlMs: EMAIL_SECRET_TTL_MS,
    });
    await sendEmail(deps, scope, "email_code", user.email, { code, expires_in_minutes: minutesOf(EMAIL_SECRET_TTL_MS) });
    await recordAuditEvent(deps, scope, { type: "email_code.sent", actor: { type: "anonymous" }, subjectId: user.id });
  });
}

/**
 * `POST /sessions/email-code`: every try counts against the code before it
 * is compared; after settings.rate_limits.code_attempts wrong tries the code
 * is void (429 `too_many_attempts`). Unknown address, wrong, expired and used
 * codes all answer 401 `invalid_code`.
 */
export async function signInWithEmailCode(
  deps: CoreDeps,
  scope: TenantScope,
  input: { email: string; code: string },
): Promise<SignInResult> {
  await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_ip,
    windowSeconds: 60,
  });
  const email = normalizeEmail(input.email);
  const row = await redeemCode(deps, scope, "email_code", email, input.code).catch(async (error: unknown) => {
    const reason = error instanceof PlintoError && error.code === "too_many_attempts" ? "email_code_attempts_exceeded" : "invalid_email_code";
    await recordAuditEvent(deps, scope, { type: "sign_in.failed", actor: { type: "anonymous" }, data: { reason } });
    throw error;
  });
  const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
  if (!user || user.id !== row.data.user_id) throw new PlintoError("invalid_code");
  const verified = await markEmailVerified(deps, scope, user, "email_code");
  return completeFirstFactor(deps, scope, verified, { amr: EMAIL_CODE_AMR });
}
