import type { CoreDeps, TenantScope } from "../deps";
import type { User } from "../model";
import type { FirstFactor } from "../sessions/complete-sign-in";
import { type MfaRequired, openMfaChallenge } from "./mfa-challenge";
import { mfaRequiredFor } from "./policy";
import { secondFactorsOf } from "./second-factors";

/**
 * Decides, after a good first factor, whether a second one is due: when the
 * user has a factor, or the tenant's policy requires one (then the challenge
 * lets the user enrol TOTP). Null means the session may open now.
 */
export async function secondFactorChallenge(
  deps: CoreDeps,
  scope: TenantScope,
  user: User,
  factor: FirstFactor,
): Promise<MfaRequired | null> {
  if (factor.satisfiesMfa) return null;
  const factors = await secondFactorsOf(deps, scope, user);
  if (factors.length === 0 && !mfaRequiredFor(scope.tenant.settings, user)) return null;
  // The first factor did succeed: keep what it wants written (an upgraded password hash) even though no session opens yet.
  if (factor.patch && Object.keys(factor.patch).length > 0) await deps.storage.users.update(scope.tenant.id, user.id, factor.patch);
  return openMfaChallenge(deps, scope, user, { amr: factor.amr, factors, enrollmentRequired: factors.length === 0 });
}
