import type { CoreDeps, TenantScope } from "../deps";
import { enforceRateLimit } from "../sessions/rate-limits";

/**
 * Every second-factor code tried for a user (TOTP or recovery code, at sign-in,
 * enrolment or step-up) spends from one bucket per user, so opening many MFA
 * challenges does not multiply the guesses (RFC 4226 §7.3 throttling).
 */
export async function limitSecondFactorAttempts(deps: CoreDeps, scope: TenantScope, userId: string): Promise<void> {
  await enforceRateLimit(deps, scope, "mfa_code:account", userId, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_account,
    windowSeconds: 60,
  });
}
