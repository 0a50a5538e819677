import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { RateLimitDecision, RateLimitRule } from "../ports/rate-limiter";

/**
 * Route classes with their own buckets. `sign_in:account` is also the
 * account's lockout record: one object holds both, so a sign-in asks once.
 */
export type LimitedAction =
  | "sign_in:ip"
  | "sign_in:account"
  | "sign_up:ip"
  | "password_reset:ip"
  | "password_change:account"
  /** Email-sending requests per client IP (magic links, email codes, verification re-sends); resets use `password_reset:ip`. */
  | "magic_link:ip"
  | "email_code:ip"
  | "email_verification:ip"
  /** Every email Plinto sends to one address, whatever the flow. */
  | "email:address"
  /** Second-factor codes (TOTP, recovery) tried for one user, whatever the challenge or session. */
  | "mfa_code:account"
  /** Step-up re-checks of one user: passwords, and passkey ceremonies (counted at their options). */
  | "step_up:account"
  /** Token-endpoint requests of one authenticated OAuth client. */
  | "oauth_token:client"
  /** RFC 7591 §3 open dynamic client registrations per client IP. */
  | "client_registration:ip"
  /** RFC 8628 §3.1 device authorizations started per client and IP (each stores two rows for 10 minutes). */
  | "device_authorization:client_ip"
  /** RFC 8628 §5.1: user-code look-ups on the /device page per client IP (bounds guessing). */
  | "device_user_code:ip"
  /** RFC 8628 §3.5: token-endpoint polls of one device code (faster than the interval: slow_down). */
  | "device_poll"
  /** Authorization requests stored per client IP (each is a one-time row until it expires). */
  | "oauth_authorize:ip";

/**
 * Bucket key: tenant, action and subject. The subject is hashed so emails
 * and IPs do not appear in Durable Object names.
 */
export async function bucketKey(tenantId: string, action: LimitedAction, subject: string): Promise<string> {
  return `${tenantId}:${action}:${await sha256(subject)}`;
}

/** Consumes one token or throws 429 `rate_limited` with Retry-After. A request without a known IP shares one bucket. */
export async function enforceRateLimit(
  deps: CoreDeps,
  scope: TenantScope,
  action: LimitedAction,
  subject: string | null,
  rule: RateLimitRule,
): Promise<void> {
  const key = await bucketKey(scope.tenant.id, action, subject ?? "unknown");
  await rejectUnlessAllowed(deps, scope, action, await deps.rateLimiter.consume(key, rule, deps.clock.now()));
}

/** Throws 429 `rate_limited` (audited for sign-in) when the decision denies. */
export async function rejectUnlessAllowed(
  deps: CoreDeps,
  scope: TenantScope,
  action: LimitedAction,
  decision: RateLimitDecision,
): Promise<void> {
  if (decision.allowed) return;
  if (action.startsWith("sign_in")) {
    await recordAuditEvent(deps, scope, { type: "sign_in.rate_limited", actor: { type: "anonymous" }, data: { action } });
  }
  throw new PlintoError("rate_limited", { retryAfterSeconds: decision.retryAfterSeconds });
}
