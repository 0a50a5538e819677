import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { redeemToken } from "../one-time/one-time-secrets";
import { completeFirstFactor, type SignInResult } from "../sessions/complete-sign-in";
import { enforceRateLimit } from "../sessions/rate-limits";
import { markEmailVerified } from "./email-verification";
import { requestEmailLink } from "./link-request";

/**
 * Magic links prove control of the mailbox. RFC 8176 registers no value for
 * that; "email" is the value OpenID providers commonly emit for it and is
 * what a relying party checking `amr` will look for.
 */
export const MAGIC_LINK_AMR = ["email"];

/** `POST /magic-links`: same answer for every address; the link is made and sent after the response. */
export const requestMagicLink = (deps: CoreDeps, scope: TenantScope, input: { email: string; redirectUrl?: string }): Promise<void> =>
  requestEmailLink(deps, scope, { purpose: "magic_link", ipBucket: "magic_link:ip", auditType: "magic_link.sent" }, input);

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
