import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OAuthClient } from "../ports/oauth-repositories";
import type { RateLimitRule } from "../ports/rate-limiter";
import { bucketKey } from "../sessions/rate-limits";

/** Token requests one client may make: generous for servers, bounded for a runaway loop (a token is meant to be reused until it expires). */
export const TOKEN_REQUESTS_PER_CLIENT: RateLimitRule = { limit: 3_000, windowSeconds: 60 };
/**
 * Requests an isolate admits per token it takes from the client's bucket in
 * the rate-limiter Durable Object. The isolate takes the token before the
 * first request of each batch (a lease), so the global count never runs
 * behind: a client gets at most the rule's rate, counted in steps of this
 * many requests per isolate, and one Durable Object call serves this many
 * requests on the hot path.
 */
export const REQUESTS_PER_LEASE = 16;
const MAX_TRACKED = 10_000;

const leases = new Map<string, { left: number; blockedUntil: number }>();

/**
 * Per-client rate limit of the token endpoint; throws 429 `rate_limited`
 * (rendered as `temporarily_unavailable` with Retry-After) when the client's
 * bucket is empty.
 */
export async function limitTokenRequests(deps: CoreDeps, scope: TenantScope, client: OAuthClient): Promise<void> {
  const now = deps.clock.now();
  const key = `${scope.tenant.id}:${client.id}`;
  const lease = leases.get(key);
  if (lease && now < lease.blockedUntil) {
    throw new PlintoError("rate_limited", { retryAfterSeconds: (lease.blockedUntil - now) / 1000 });
  }
  if (lease && lease.left > 0) {
    lease.left -= 1;
    return;
  }
  const rule = { limit: Math.max(1, Math.floor(TOKEN_REQUESTS_PER_CLIENT.limit / REQUESTS_PER_LEASE)), windowSeconds: TOKEN_REQUESTS_PER_CLIENT.windowSeconds };
  const decision = await deps.rateLimiter.consume(await bucketKey(scope.tenant.id, "oauth_token:client", client.id), rule, now);
  if (leases.size >= MAX_TRACKED) leases.clear();
  if (!decision.allowed) {
    leases.set(key, { left: 0, blockedUntil: now + decision.retryAfterSeconds * 1000 });
    throw new PlintoError("rate_limited", { retryAfterSeconds: decision.retryAfterSeconds });
  }
  leases.set(key, { left: REQUESTS_PER_LEASE - 1, blockedUntil: 0 });
}
