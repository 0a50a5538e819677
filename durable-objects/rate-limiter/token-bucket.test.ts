import { describe, expect, it } from "vitest";
import { bucketFullAt, consumeToken, type BucketState } from "./token-bucket";

const tenPerMinute = { limit: 10, windowSeconds: 60 };
const T0 = 1_800_000_000_000;

/** Consumes `count` times at `now`, threading the state; returns the last result. */
function drain(state: BucketState | undefined, count: number, now: number, rule = tenPerMinute) {
  let result = consumeToken(state, rule, now);
  for (let i = 1; i < count; i++) result = consumeToken(result.state, rule, now);
  return result;
}

describe("consumeToken", () => {
  it("allows `limit` requests, counting remaining down", () => {
    const first = consumeToken(undefined, tenPerMinute, T0);
    expect(first.decision).toEqual({ allowed: true, remaining: 9, retryAfterSeconds: 0 });
    const tenth = drain(undefined, 10, T0);
    expect(tenth.decision).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
  });

  it("denies the 11th request with Retry-After until one token refills", () => {
    const eleventh = drain(undefined, 11, T0);
    expect(eleventh.decision).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 6 });
    const later = consumeToken(eleventh.state, tenPerMinute, T0 + 4_500);
    expect(later.decision).toEqual({ allowed: false, remaining: 0, retryAfterSeconds: 2 });
  });

  it("refills continuously at limit / window per second", () => {
    const empty = drain(undefined, 10, T0).state;
    expect(consumeToken(empty, tenPerMinute, T0 + 5_999).decision.allowed).toBe(false);
    expect(consumeToken(empty, tenPerMinute, T0 + 6_000).decision).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(consumeToken(empty, tenPerMinute, T0 + 30_000).decision.remaining).toBe(4);
    expect(consumeToken(empty, tenPerMinute, T0 + 3_600_000).decision.remaining).toBe(9);
  });

  it("adds fractional refills exactly (3 per 10 s)", () => {
    const rule = { limit: 3, windowSeconds: 10 };
    let state = drain(undefined, 3, T0, rule).state;
    for (const ms of [1_111, 2_222]) state = consumeToken(state, rule, T0 + ms).state;
    expect(consumeToken(state, rule, T0 + 3_333).decision.allowed).toBe(false);
    expect(consumeToken(state, rule, T0 + 3_334).decision.allowed).toBe(true);
  });

  it("rounds a fractional wait up to whole seconds", () => {
    const rule = { limit: 7, windowSeconds: 60 };
    const denied = drain(undefined, 8, T0, rule);
    expect(denied.decision.retryAfterSeconds).toBe(9); // 60/7 = 8.57 s
  });

  it("caps the tokens when the limit is lowered", () => {
    const used = drain(undefined, 2, T0).state; // 8 left of 10
    const lowered = { limit: 5, windowSeconds: 60 };
    expect(consumeToken(used, lowered, T0).decision.remaining).toBe(4);
  });

  it("grants the extra capacity at once when the limit is raised", () => {
    const empty = drain(undefined, 10, T0).state;
    const raised = { limit: 15, windowSeconds: 60 };
    expect(drain(empty, 5, T0, raised).decision).toEqual({ allowed: true, remaining: 0, retryAfterSeconds: 0 });
    expect(drain(empty, 6, T0, raised).decision.allowed).toBe(false);
  });

  it("refills nothing when the caller's clock is behind the last update", () => {
    const empty = drain(undefined, 10, T0).state;
    const behind = consumeToken(empty, tenPerMinute, T0 - 60_000);
    expect(behind.decision.allowed).toBe(false);
    expect(behind.state.updatedAt).toBe(T0);
  });

  it("rejects rules that cannot be a bucket", () => {
    for (const rule of [{ limit: 0, windowSeconds: 60 }, { limit: 10, windowSeconds: 0 }, { limit: Number.NaN, windowSeconds: 1 }]) {
      expect(() => consumeToken(undefined, rule, T0)).toThrow(RangeError);
    }
  });
});

describe("bucketFullAt", () => {
  it("is when the missing tokens have refilled", () => {
    expect(bucketFullAt(drain(undefined, 10, T0).state)).toBe(T0 + 60_000);
    expect(bucketFullAt(drain(undefined, 1, T0).state)).toBe(T0 + 6_000);
  });
});
