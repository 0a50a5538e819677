import { describe, expect, it } from "vitest";
import { lockStatusAt, recordFailedAttempt, type LockoutState } from "./lockout";

const policy = { threshold: 5, baseSeconds: 30, maxSeconds: 120 };
const T0 = 1_800_000_000_000;

/** Records `count` failures at `now`; returns the last result. */
function fail(state: LockoutState | undefined, count: number, now: number) {
  let result = recordFailedAttempt(state, policy, now);
  for (let i = 1; i < count; i++) result = recordFailedAttempt(result.state, policy, now);
  return result;
}

describe("recordFailedAttempt", () => {
  it("counts consecutive failures below the threshold without locking", () => {
    const fourth = fail(undefined, 4, T0);
    expect(fourth.outcome).toEqual({ locked: false, retryAfterSeconds: 0, lockedNow: false, consecutiveFailures: 4 });
    expect(lockStatusAt(fourth.state, T0)).toEqual({ locked: false, retryAfterSeconds: 0 });
  });

  it("locks on the threshold-th failure and restarts the count", () => {
    const fifth = fail(undefined, 5, T0);
    expect(fifth.outcome).toEqual({ locked: true, retryAfterSeconds: 30, lockedNow: true, consecutiveFailures: 5 });
    expect(fifth.state.failures).toBe(0);
    expect(lockStatusAt(fifth.state, T0 + 10_500)).toEqual({ locked: true, retryAfterSeconds: 20 });
    expect(lockStatusAt(fifth.state, T0 + 30_000)).toEqual({ locked: false, retryAfterSeconds: 0 });
  });

  it("neither counts nor extends failures while locked", () => {
    const locked = fail(undefined, 5, T0).state;
    const during = recordFailedAttempt(locked, policy, T0 + 10_000);
    expect(during.outcome).toEqual({ locked: true, retryAfterSeconds: 20, lockedNow: false, consecutiveFailures: 0 });
    expect(during.state).toEqual(locked);
  });

  it("grows each new lock: 30 s, 60 s, 120 s, then capped at 120 s", () => {
    let state: LockoutState | undefined;
    let now = T0;
    const lengths: number[] = [];
    for (let lock = 0; lock < 5; lock++) {
      const result = fail(state, 5, now);
      expect(result.outcome.lockedNow).toBe(true);
      lengths.push(result.outcome.retryAfterSeconds);
      state = result.state;
      now = state.lockedUntil;
    }
    expect(lengths).toEqual([30, 60, 120, 120, 120]);
  });

  it("caps even absurd lock counts", () => {
    const state = { failures: 4, lockCount: 5000, lockedUntil: 0, lastFailureAt: 0 };
    expect(recordFailedAttempt(state, policy, T0).outcome.retryAfterSeconds).toBe(120);
  });

  it("rejects policies that cannot lock sensibly", () => {
    for (const bad of [{ ...policy, threshold: 0 }, { ...policy, baseSeconds: 0 }, { ...policy, maxSeconds: 10 }]) {
      expect(() => recordFailedAttempt(undefined, bad, T0)).toThrow(RangeError);
    }
  });
});

describe("lockStatusAt", () => {
  it("is unlocked for an account with no history", () => {
    expect(lockStatusAt(undefined, T0)).toEqual({ locked: false, retryAfterSeconds: 0 });
  });
});
