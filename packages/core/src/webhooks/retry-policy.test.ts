import { describe, expect, it } from "vitest";
import {
  type AttemptResult,
  attemptError,
  classifyAttempt,
  DISABLE_AFTER_MS,
  MAX_ATTEMPTS,
  RETRY_DELAYS_SECONDS,
  retryDelaySeconds,
  shouldDisable,
} from "./retry-policy";

const HOUR = 3_600_000;
const response = (status: number): AttemptResult => ({ kind: "response", status, latencyMs: 5 });

describe("retryDelaySeconds", () => {
  it.each([
    // attempt, delay with no jitter, delay with the most jitter (+25 %, capped at the Queues limit of 12 h)
    [1, 30, 38],
    [2, 120, 150],
    [3, 600, 750],
    [4, 1_800, 2_250],
    [5, 3_600, 4_500],
    [6, 7_200, 9_000],
    [7, 14_400, 18_000],
    [8, 28_800, 36_000],
    [9, 43_200, 43_200],
  ])("after attempt %i waits %i s, at most %i s", (attempt, least, most) => {
    expect(retryDelaySeconds(attempt, () => 0)).toBe(least);
    expect(retryDelaySeconds(attempt, () => 1)).toBe(most);
    expect(retryDelaySeconds(attempt, () => 0.5)).toBeGreaterThanOrEqual(least);
  });

  it.each([0, MAX_ATTEMPTS, MAX_ATTEMPTS + 1, 100])("after attempt %i there is no retry", (attempt) => {
    expect(retryDelaySeconds(attempt, () => 0)).toBeNull();
  });

  it("retries for at least 24 h in 10 attempts, every delay within the Queues limit", () => {
    expect(MAX_ATTEMPTS).toBe(10);
    const shortest = RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0);
    expect(shortest).toBe(99_750); // 27.7 h
    expect(shortest * 1000).toBeGreaterThanOrEqual(24 * HOUR);
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) expect(retryDelaySeconds(attempt, () => 1)).toBeLessThanOrEqual(43_200);
  });
});

describe("classifyAttempt and attemptError", () => {
  it.each<[string, AttemptResult, ReturnType<typeof classifyAttempt>, string | null]>([
    ["200", response(200), "succeeded", null],
    ["204", response(204), "succeeded", null],
    ["299", response(299), "succeeded", null],
    ["500", response(500), "retryable", "http_500"],
    ["503", response(503), "retryable", "http_503"],
    ["599", response(599), "retryable", "http_599"],
    ["408", response(408), "retryable", "http_408"],
    ["429", response(429), "retryable", "http_429"],
    ["timeout", { kind: "timeout", latencyMs: 10_000 }, "retryable", "timeout"],
    ["network error", { kind: "network_error", latencyMs: 3 }, "retryable", "network_error"],
    ["400", response(400), "rejected", "http_400"],
    ["401", response(401), "rejected", "http_401"],
    ["404", response(404), "rejected", "http_404"],
    ["410", response(410), "rejected", "http_410"],
    ["301 (redirects are not followed)", response(301), "rejected", "http_301"],
    ["302", response(302), "rejected", "http_302"],
    ["304", response(304), "rejected", "http_304"],
    ["100", response(100), "rejected", "http_100"],
  ])("%s is %s (%s)", (_name, result, verdict, error) => {
    expect(classifyAttempt(result)).toBe(verdict);
    expect(attemptError(result)).toBe(error);
  });
});

describe("shouldDisable", () => {
  const now = 1_800_000_000_000;
  it.each([
    [10, DISABLE_AFTER_MS, true],
    [50, 25 * HOUR, true],
    [10, DISABLE_AFTER_MS - 1, false],
    [9, 48 * HOUR, false],
    [1_000, HOUR, false],
    [0, 0, false],
  ])("%i failures in a row for %i ms -> %s", (failures, failingFor, expected) => {
    expect(shouldDisable(failures, now - failingFor, now)).toBe(expected);
  });
});
