import { afterResponse } from "../after-response";
import { type AuditEventType, recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { normalizeEmail } from "../identities/email";
import { EMAIL_SECRET_TTL_MS, issueToken } from "../one-time/one-time-secrets";
import type { LimitedAction } from "../sessions/rate-limits";
import { admitEmailRequest, minutesOf } from "./email-request-guard";
import { emailLink, resolveLinkBase } from "./links";
import { sendEmail } from "./send-email";

/** One kind of emailed single-use link for an existing account (password reset, magic link). */
export interface LinkFlow {
  purpose: "password_reset" | "magic_link";
  ipBucket: LimitedAction;
  auditType: AuditEventType;
}

/**
 * The request half of a link flow: the same answer for every address. The
 * look-up, the token (256 bits, stored as its SHA-256, 15 minutes, single
 * use) and the mail happen after the response, so neither body nor timing
 * tells whether the address has an account; unknown or banned addresses get
 * no mail and leave no row.
 */
export async function requestEmailLink(
  deps: CoreDeps,
  scope: TenantScope,
  flow: LinkFlow,
  input: { email: string; redirectUrl?: string },
): Promise<void> {
  const linkBase = resolveLinkBase(scope, input.redirectUrl);
  const email = normalizeEmail(input.email);
  await admitEmailRequest(deps, scope, flow.ipBucket, email);
  await afterResponse(scope, async () => {
    const user = await deps.storage.users.getByEmail(scope.tenant.id, email);
    if (!user || user.bannedAt !== null) return;
    const { token } = await issueToken(deps, scope, {
      purpose: flow.purpose,
      subject: user.id,
      data: { email: user.emailNormalized },
      ttlMs: EMAIL_SECRET_TTL_MS,
    });
    await sendEmail(deps, scope, flow.purpose, user.email, {
      link: emailLink(linkBase, token, flow.purpose),
      token,
      expires_in_minutes: minutesOf(EMAIL_SECRET_TTL_MS),
    });
    await recordAuditEvent(deps, scope, { type: flow.auditType, actor: { type: "anonymous" }, subjectId: user.id });
  });
}
