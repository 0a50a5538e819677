import { bucketFullAt, type BucketState } from "./token-bucket";
import type { LockoutState } from "./lockout";

/** Lock history and failures are kept this long after the last lock or failure, so repeat locks keep growing. */
export const LOCKOUT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Slack for the caller's clock (which stamped the state) running behind the object's clock. */
export const CLOCK_SKEW_MS = 60 * 1000;

/**
 * Time (ms epoch) after which deleting the state changes no future decision:
 * the bucket is full again (a missing bucket is a full one) and the last lock or
 * failure is older than the retention. Undefined when there is nothing stored.
 */
export function idleAfter(bucket: BucketState | undefined, lockout: LockoutState | undefined): number | undefined {
  const deadlines: number[] = [];
  if (bucket) deadlines.push(bucketFullAt(bucket));
  if (lockout) deadlines.push(Math.max(lockout.lockedUntil, lockout.lastFailureAt) + LOCKOUT_RETENTION_MS);
  if (deadlines.length === 0) return undefined;
  return Math.ceil(Math.max(...deadlines)) + CLOCK_SKEW_MS;
}
