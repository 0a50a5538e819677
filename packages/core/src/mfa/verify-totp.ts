import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";
import { limitSecondFactorAttempts } from "./code-rate-limit";
import type { SecondFactorProof } from "./mfa-challenge";
import { matchTotpStep } from "./totp";
import { openTotpSecret } from "./totp-secret";

/**
 * Checks a code of the user's active TOTP factor: within one step of now
 * (RFC 6238 §5.2), and in a step later than any used before, recorded by a
 * conditional write so a code is accepted once (replay). Throws 401
 * `invalid_code` otherwise, 429 when the user's attempts are spent.
 */
export async function verifyTotp(deps: CoreDeps, scope: TenantScope, user: User, code: string): Promise<SecondFactorProof> {
  await limitSecondFactorAttempts(deps, scope, user.id);
  const factor = await deps.storage.totpFactors.getForUser(scope.tenant.id, user.id);
  if (!factor || factor.status !== "active") throw new PlintoError("invalid_code");
  const step = matchTotpStep(await openTotpSecret(deps, factor), code, deps.clock.now());
  if (step === null || !(await deps.storage.totpFactors.useStep(scope.tenant.id, factor.id, step))) {
    throw new PlintoError("invalid_code");
  }
  // RFC 8176 §2 "otp": a one-time password per RFC 6238.
  return { amr: ["otp"] };
}
