import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import type { IssuedTokens } from "../sessions/issue-tokens";
import { completeMfaChallenge, type MfaChallenge, useMfaChallenge } from "./mfa-challenge";
import { redeemRecoveryCode } from "./recovery-codes";
import { activateTotp, startTotpEnrollment, type TotpEnrollment } from "./totp-enrollment";
import { verifyTotp } from "./verify-totp";

export type MfaAnswer = { code: string } | { recoveryCode: string };

/**
 * `POST /sessions/mfa`: answers a sign-in's challenge with a TOTP code or a
 * recovery code. When the challenge is an enrolment (policy requires MFA, the
 * user had none), the code activates the TOTP factor begun with the same token,
 * and the new recovery codes come back with the tokens.
 */
export async function completeSignInWithSecondFactor(
  deps: CoreDeps,
  scope: TenantScope,
  mfaToken: string,
  answer: MfaAnswer,
): Promise<{ user: User; tokens: IssuedTokens; recoveryCodes: string[] | null }> {
  const result = await completeMfaChallenge(deps, scope, mfaToken, async (user: User, challenge: MfaChallenge) => {
    if ("recoveryCode" in answer) return { ...(await redeemRecoveryCode(deps, scope, user, answer.recoveryCode)), recoveryCodes: null };
    if (challenge.enrollmentRequired) {
      const factor = await deps.storage.totpFactors.getForUser(scope.tenant.id, user.id);
      if (factor?.status === "pending") return activateTotp(deps, scope, user, answer.code, { type: "anonymous" });
    }
    return { ...(await verifyTotp(deps, scope, user, answer.code)), recoveryCodes: null };
  });
  return { user: result.user, tokens: result.tokens, recoveryCodes: result.proof.recoveryCodes };
}

/**
 * `POST /sessions/mfa/totp-enrollment`: with the token of a challenge that
 * requires enrolment, starts TOTP enrolment for its user. Counts as an attempt
 * against the challenge; the challenge stays open for `POST /sessions/mfa`.
 */
export async function startEnrollmentWithChallenge(deps: CoreDeps, scope: TenantScope, mfaToken: string): Promise<TotpEnrollment> {
  const { user, challenge } = await useMfaChallenge(deps, scope, mfaToken);
  if (!challenge.enrollmentRequired) {
    throw new PlintoError("forbidden", { detail: "this challenge is answered with an enrolled factor; enrol new factors once signed in" });
  }
  return startTotpEnrollment(deps, scope, user);
}
