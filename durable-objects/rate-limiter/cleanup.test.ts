import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_MS, LOCKOUT_RETENTION_MS, idleAfter } from "./cleanup";

const T0 = 1_800_000_000_000;
const emptyBucket = { tokens: 0, updatedAt: T0, limit: 10, windowSeconds: 60 };
const lockout = { failures: 0, lockCount: 1, lockedUntil: T0 + 30_000, lastFailureAt: T0 };

describe("idleAfter", () => {
  it("is undefined when nothing is stored", () => {
    expect(idleAfter(undefined, undefined)).toBeUndefined();
  });

  it("waits for the bucket to be full again", () => {
    expect(idleAfter(emptyBucket, undefined)).toBe(T0 + 60_000 + CLOCK_SKEW_MS);
  });

  it("keeps lock history for the retention after the lock ends", () => {
    expect(idleAfter(emptyBucket, lockout)).toBe(T0 + 30_000 + LOCKOUT_RETENTION_MS + CLOCK_SKEW_MS);
  });
});
