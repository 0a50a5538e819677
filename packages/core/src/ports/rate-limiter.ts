/** Token-bucket rule: `limit` requests per `windowSeconds`, refilled continuously. */
export interface RateLimitRule {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  remaining: number;
  /** Seconds until one request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

/** Growing lockout after repeated failures: threshold failures lock for base * 2^(n-1) seconds, at most max. */
export interface LockoutPolicy {
  threshold: number;
  baseSeconds: number;
  maxSeconds: number;
}

export interface LockStatus {
  locked: boolean;
  retryAfterSeconds: number;
}

export interface FailureOutcome extends LockStatus {
  /** True when this failure started a new lock (audit it). */
  lockedNow: boolean;
  consecutiveFailures: number;
}

/**
 * Rate limits and lockouts live in the rate-limiter Durable Object, one object
 * per bucket key (e.g. `{tenantId}:sign_in:ip:{ip}`), so buckets never contend.
 */
export interface RateLimiter {
  consume(bucketKey: string, rule: RateLimitRule, now: number): Promise<RateLimitDecision>;
  lockStatus(accountKey: string, now: number): Promise<LockStatus>;
  recordFailure(accountKey: string, policy: LockoutPolicy, now: number): Promise<FailureOutcome>;
  recordSuccess(accountKey: string): Promise<void>;
}
