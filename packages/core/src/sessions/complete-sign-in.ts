import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { secondFactorChallenge } from "../mfa/second-factor-gate";
import type { User } from "../model";
import type { UserPatch } from "../ports/repositories";
import { type IssuedTokens, startSession } from "./issue-tokens";

export type SecondFactorKind = "totp" | "recovery_code" | "passkey";

/** What a sign-in answers: tokens, or a challenge the client must pass first. */
export type SignInResult =
  | { status: "signed_in"; user: User; tokens: IssuedTokens }
  | {
      status: "mfa_required";
      user: User;
      /** Short-lived, single-use token for `POST /sessions/mfa`; never logged. */
      mfaToken: string;
      expiresIn: number;
      /** Factors the user can answer with. */
      factors: SecondFactorKind[];
      /** True when the tenant requires MFA and the user has no factor yet: enrol one with the token. */
      enrollmentRequired: boolean;
    };

export interface FirstFactor {
  /** Authentication methods references (RFC 8176 §2) the first factor proved, e.g. ["pwd"]. */
  amr: string[];
  /** True when the first factor already proves two factors (a passkey with user verification), so no MFA challenge follows. */
  satisfiesMfa?: boolean;
  /** Extra user columns to write with the sign-in (e.g. an upgraded password hash). */
  patch?: UserPatch;
}

/**
 * Every first factor (password, passkey, magic link, email code) ends here:
 * the one place that decides whether the account may sign in now, must pass
 * a second factor first, or gets a session.
 */
export async function completeFirstFactor(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  factor: FirstFactor,
): Promise<SignInResult> {
  if (user.bannedAt !== null) throw new PlintoError("user_banned");
  // Only reached after the first factor succeeded, so this answer reveals nothing to a guesser.
  if (scope.tenant.settings.email.verification === "required" && !user.emailVerified) throw new PlintoError("email_not_verified");
  const challenge = await secondFactorChallenge(deps, scope, user, factor);
  if (challenge) return challenge;
  return openSession(deps, scope, user, factor.amr, factor.patch ?? {});
}

/** Records the sign-in on the user, starts a session and audits it. */
export async function openSession(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  amr: string[],
  extra: UserPatch = {},
): Promise<{ status: "signed_in"; user: User; tokens: IssuedTokens }> {
  const now = deps.clock.now();
  const patch: UserPatch = { ...extra, lastSignInAt: now };
  await deps.storage.users.update(scope.tenant.id, user.id, patch);
  const tokens = await startSession(deps, scope, user.id, amr);
  await recordAuditEvent(deps, scope, {
    type: "sign_in.succeeded",
    actor: { type: "user", userId: user.id, sessionId: tokens.session.id, role: user.role },
    subjectId: user.id,
    data: { session_id: tokens.session.id, amr },
  });
  return { status: "signed_in", user: { ...user, ...patch }, tokens };
}
