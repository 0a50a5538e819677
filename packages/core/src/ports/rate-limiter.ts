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

/** One account's admission to a sign-in attempt: its bucket and its lock, read in one call. */
export interface AccountAdmission {
  rate: RateLimitDecision;
  lock: LockStatus;
  /** True when failures are on record (a success must then clear them). */
  hasFailures: boolean;
}

/**
 * Rate limits and lockouts live in the rate-limiter Durable Object, one object
 * per bucket key (e.g. `{tenantId}:sign_in:ip:{ip}`), so buckets never contend.
 * An account's object holds both its bucket and its lockout state.
 */
export interface RateLimiter {
  consume(bucketKey: string, rule: RateLimitRule, now: number): Promise<RateLimitDecision>;
  /** Consumes from the account's bucket and reads its lock in one round trip. */
  admitAccount(accountKey: string, rule: RateLimitRule, now: number): Promise<AccountAdmission>;
  lockStatus(accountKey: string, now: number): Promise<LockStatus>;
  recordFailure(accountKey: string, policy: LockoutPolicy, now: number): Promise<FailureOutcome>;
  recordSuccess(accountKey: string): Promise<void>;
}
