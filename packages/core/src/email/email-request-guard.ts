import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { enforceRateLimit, type LimitedAction } from "../sessions/rate-limits";

const HOUR = 3_600;

/** Email-sending requests per IP: resets have their own setting; the other flows use the same figure, each in its own bucket. */
const ipLimit = (scope: TenantScope): number => scope.tenant.settings.rate_limits.password_reset_per_hour_per_ip;

/**
 * The response-path half of every request that sends mail: fail fast when no
 * mailer can deliver, then the per-IP bucket of this flow and the per-address
 * bucket shared by all flows (settings.rate_limits.emails_per_hour_per_address).
 * The address bucket counts unknown addresses exactly like known ones, so a
 * 429 says nothing about which addresses have accounts.
 */
export async function admitEmailRequest(
  deps: CoreDeps,
  scope: TenantScope,
  ipAction: LimitedAction,
  emailNormalized: string,
): Promise<void> {
  if (deps.mailer.unavailable) throw new PlintoError("mail_unavailable", { detail: deps.mailer.unavailable });
  await enforceRateLimit(deps, scope, ipAction, scope.request.ip, { limit: ipLimit(scope), windowSeconds: HOUR });
  await enforceRateLimit(deps, scope, "email:address", emailNormalized, {
    limit: scope.tenant.settings.rate_limits.emails_per_hour_per_address,
    windowSeconds: HOUR,
  });
}

/** Minutes shown in emails for a secret that lives `ttlMs`. */
export const minutesOf = (ttlMs: number): number => Math.round(ttlMs / 60_000);
