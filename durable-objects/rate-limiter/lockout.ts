import type { FailureOutcome, LockStatus, LockoutPolicy } from "../../packages/core/src/ports/rate-limiter";

/** What the rate-limiter object stores for an account (storage key `lockout`). */
export interface LockoutState {
  /** Consecutive failures since the last success or the last lock. */
  failures: number;
  /** Locks since the last success; the next lock lasts base * 2^lockCount seconds. */
  lockCount: number;
  /** Caller clock (ms epoch) at which the current or last lock ends; 0 if never locked. */
  lockedUntil: number;
  /** Caller clock (ms epoch) of the last counted failure. */
  lastFailureAt: number;
}

export interface FailureResult {
  state: LockoutState;
  outcome: FailureOutcome;
}

export function assertValidPolicy(policy: LockoutPolicy): void {
  const ok =
    Number.isInteger(policy.threshold) &&
    policy.threshold >= 1 &&
    Number.isFinite(policy.baseSeconds) &&
    policy.baseSeconds > 0 &&
    Number.isFinite(policy.maxSeconds) &&
    policy.maxSeconds >= policy.baseSeconds;
  if (!ok) throw new RangeError(`invalid lockout policy: ${JSON.stringify(policy)}`);
}

export function lockStatusAt(state: LockoutState | undefined, now: number): LockStatus {
  if (!state || now >= state.lockedUntil) return { locked: false, retryAfterSeconds: 0 };
  return { locked: true, retryAfterSeconds: Math.ceil((state.lockedUntil - now) / 1000) };
}

/** Lock length in seconds for the `lockCount`-th lock since the last success (1-based). */
export function lockSeconds(policy: LockoutPolicy, lockCount: number): number {
  return Math.min(policy.maxSeconds, policy.baseSeconds * 2 ** (lockCount - 1));
}

/**
 * Counts one failed attempt. Reaching `threshold` consecutive failures starts a
 * lock of base * 2^(lockCount-1) seconds (at most max) and restarts the count.
 * A failure while locked changes nothing: it neither counts nor extends the lock.
 * `consecutiveFailures` is the count reached by this failure (the threshold when it locks).
 */
export function recordFailedAttempt(state: LockoutState | undefined, policy: LockoutPolicy, now: number): FailureResult {
  assertValidPolicy(policy);
  const current = state ?? { failures: 0, lockCount: 0, lockedUntil: 0, lastFailureAt: 0 };
  const status = lockStatusAt(current, now);
  if (status.locked) {
    return { state: current, outcome: { ...status, lockedNow: false, consecutiveFailures: current.failures } };
  }
  const failures = current.failures + 1;
  const lastFailureAt = Math.max(now, current.lastFailureAt);
  if (failures < policy.threshold) {
    const outcome = { locked: false, retryAfterSeconds: 0, lockedNow: false, consecutiveFailures: failures };
    return { state: { ...current, failures, lastFailureAt }, outcome };
  }
  const lockCount = current.lockCount + 1;
  const seconds = lockSeconds(policy, lockCount);
  const lockedUntil = now + seconds * 1000;
  const outcome = { locked: true, retryAfterSeconds: Math.ceil(seconds), lockedNow: true, consecutiveFailures: failures };
  return { state: { failures: 0, lockCount, lockedUntil, lastFailureAt }, outcome };
}
