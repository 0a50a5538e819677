import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const tenPerMinute = { limit: 10, windowSeconds: 60 };
const policy = { threshold: 3, baseSeconds: 30, maxSeconds: 120 };
const DAY_MS = 24 * 60 * 60 * 1000;

/** A fresh object per test: names never repeat. */
function limiter(name: string) {
  return env.RATE_LIMITER.getByName(`${name}:${crypto.randomUUID()}`);
}

describe("RateLimiter.consume", () => {
  it("allows 10 per minute, then denies with Retry-After", async () => {
    const stub = limiter("t1:sign_in:ip:203.0.113.7");
    const now = Date.now();
    for (let i = 9; i >= 0; i--) {
      expect(await stub.consume(tenPerMinute, now)).toEqual({ allowed: true, remaining: i, retryAfterSeconds: 0 });
    }
    expect(await stub.consume(tenPerMinute, now)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 6 });
    expect(await stub.consume(tenPerMinute, now + 1_000)).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 5 });
  });

  it("refills over injected time", async () => {
    const stub = limiter("refill");
    const now = Date.now();
    for (let i = 0; i < 10; i++) await stub.consume(tenPerMinute, now);
    expect((await stub.consume(tenPerMinute, now + 5_999)).allowed).toBe(false);
    expect(await stub.consume(tenPerMinute, now + 6_000)).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect((await stub.consume(tenPerMinute, now + 66_000)).remaining).toBe(9);
  });

  it("keeps separate keys independent", async () => {
    const a = limiter("a");
    const b = limiter("b");
    const now = Date.now();
    for (let i = 0; i < 10; i++) await a.consume(tenPerMinute, now);
    expect((await a.consume(tenPerMinute, now)).allowed).toBe(false);
    expect(await b.consume(tenPerMinute, now)).toEqual({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
  });

  it("survives eviction: the bucket is in storage, not memory", async () => {
    const stub = limiter("persist");
    const now = Date.now();
    await stub.consume(tenPerMinute, now);
    const stored = await runInDurableObject(stub, (_instance, state) => state.storage.kv.get("bucket"));
    expect(stored).toEqual({ tokens: 9, updatedAt: now, limit: 10, windowSeconds: 60 });
    await evictDurableObject(stub);
    expect((await stub.consume(tenPerMinute, now)).remaining).toBe(8);
  });

  it("rejects an invalid rule without touching storage", async () => {
    const stub = limiter("invalid");
    // Called in the object, not over RPC: a rejecting RPC leaks an unhandled rejection
    // in the test pool even when awaited (cloudflare/workers-sdk#14736).
    const stored = await runInDurableObject(stub, async (instance, state) => {
      await expect(instance.consume({ limit: 0, windowSeconds: 60 }, Date.now())).rejects.toThrow(RangeError);
      return [...state.storage.kv.list()];
    });
    expect(stored).toEqual([]);
  });
});

describe("RateLimiter lockout", () => {
  it("locks after the threshold with a growing delay 30 s, 60 s, 120 s, capped", async () => {
    const stub = limiter("t1:account:user_1");
    let now = Date.now();
    const lengths: number[] = [];
    for (let lock = 0; lock < 4; lock++) {
      for (let i = 1; i < policy.threshold; i++) {
        const outcome = await stub.recordFailure(policy, now);
        expect(outcome).toEqual({ locked: false, retryAfterSeconds: 0, lockedNow: false, consecutiveFailures: i });
      }
      const locking = await stub.recordFailure(policy, now);
      expect(locking.lockedNow).toBe(true);
      lengths.push(locking.retryAfterSeconds);
      expect(await stub.lockStatus(now + 1_000)).toEqual({ locked: true, retryAfterSeconds: locking.retryAfterSeconds - 1 });
      now += locking.retryAfterSeconds * 1000;
      expect(await stub.lockStatus(now)).toEqual({ locked: false, retryAfterSeconds: 0 });
    }
    expect(lengths).toEqual([30, 60, 120, 120]);
  });

  it("ignores failures while locked: no count, no extension, lockedNow only once", async () => {
    const stub = limiter("locked");
    const now = Date.now();
    for (let i = 0; i < policy.threshold; i++) await stub.recordFailure(policy, now);
    const during = await stub.recordFailure(policy, now + 10_000);
    expect(during).toEqual({ locked: true, retryAfterSeconds: 20, lockedNow: false, consecutiveFailures: 0 });
    expect(await stub.lockStatus(now + 30_000)).toEqual({ locked: false, retryAfterSeconds: 0 });
  });

  it("resets failures and lock growth on success", async () => {
    const stub = limiter("success");
    let now = Date.now();
    for (let i = 0; i < policy.threshold; i++) await stub.recordFailure(policy, now);
    now += 30_000;
    await stub.recordFailure(policy, now);
    await stub.recordSuccess();
    expect((await stub.recordFailure(policy, now)).consecutiveFailures).toBe(1);
    await stub.recordFailure(policy, now);
    const relock = await stub.recordFailure(policy, now);
    expect(relock).toEqual({ locked: true, retryAfterSeconds: 30, lockedNow: true, consecutiveFailures: 3 });
  });
});

describe("RateLimiter cleanup alarm", () => {
  it("deletes all state once the bucket is full and failures are old", async () => {
    const stub = limiter("cleanup");
    const past = Date.now() - DAY_MS - 3_600_000;
    await stub.consume(tenPerMinute, past);
    await stub.recordFailure(policy, past);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const keys = await runInDurableObject(stub, (_instance, state) => [...state.storage.kv.list()]);
    expect(keys).toEqual([]);
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).toBeNull();
    expect(await stub.consume(tenPerMinute, Date.now())).toEqual({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
  });

  it("keeps recent state and re-arms for when it will be idle", async () => {
    const stub = limiter("recent");
    const now = Date.now();
    await stub.consume(tenPerMinute, now - 2 * 60_000);
    await stub.recordFailure(policy, now);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const { keys, alarm } = await runInDurableObject(stub, async (_instance, state) => ({
      keys: [...state.storage.kv.list()].map(([key]) => key),
      alarm: await state.storage.getAlarm(),
    }));
    expect(keys.sort()).toEqual(["bucket", "lockout"]);
    expect(alarm).toBeGreaterThan(now + DAY_MS);
    expect((await stub.recordFailure(policy, now)).consecutiveFailures).toBe(2);
  });

  it("schedules a cleanup on first write even for a bucket alone", async () => {
    const stub = limiter("bucket-only");
    const now = Date.now();
    await stub.consume(tenPerMinute, now);
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(alarm).toBeGreaterThanOrEqual(now + 6_000);
    expect(alarm).toBeLessThanOrEqual(now + 6_000 + 60_000);
  });
});

describe("RateLimiter.admit (one round trip per sign-in for the account)", () => {
  it("consumes from the bucket and reports the lock and whether failures are on record", async () => {
    const account = limiter("admit");
    const T0 = Date.now();
    const rule = { limit: 2, windowSeconds: 60 };
    const twoStrikes = { threshold: 2, baseSeconds: 30, maxSeconds: 120 };
    const first = await account.admit(rule, T0);
    expect(first).toEqual({ rate: { allowed: true, remaining: 1, retryAfterSeconds: 0 }, lock: { locked: false, retryAfterSeconds: 0 }, hasFailures: false });
    await account.recordFailure(twoStrikes, T0);
    expect((await account.admit(rule, T0)).hasFailures).toBe(true);
    await account.recordFailure(twoStrikes, T0 + 1);
    const locked = await account.admit({ limit: 10, windowSeconds: 60 }, T0 + 2);
    expect(locked.lock).toEqual({ locked: true, retryAfterSeconds: 30 });
    await account.recordSuccess();
    expect((await account.admit({ limit: 10, windowSeconds: 60 }, T0 + 3)).hasFailures).toBe(false);
  });
});
