/**
 * Retry policy (issue 6): exponential backoff with jitter for at least 24 h,
 * then the dead-letter queue. Base delays after attempt 1..9 add up to 27.7 h;
 * jitter only lengthens a delay (up to +25%), so the schedule never ends
 * before 24 h, and no delay passes the Queues limit of 12 h.
 */
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 1_800, 3_600, 7_200, 14_400, 28_800, 43_200] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
const QUEUES_MAX_DELAY_SECONDS = 43_200;

/** Seconds to wait after failed attempt `attempt` (1-based), or null when it was the last. */
export function retryDelaySeconds(attempt: number, random: () => number = Math.random): number | null {
  const base = RETRY_DELAYS_SECONDS[attempt - 1];
  if (base === undefined) return null;
  return Math.min(QUEUES_MAX_DELAY_SECONDS, Math.round(base * (1 + 0.25 * random())));
}

/** Outbound request timeout: a receiver that does not answer in time counts as a retryable failure. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export type AttemptResult = { kind: "response"; status: number; latencyMs: number } | { kind: "timeout" | "network_error"; latencyMs: number };

/**
 * 2xx succeeds. Retried: 5xx, 408, 429, timeouts and network errors. Anything
 * else (other 4xx, and 3xx since redirects are not followed) fails at once.
 */
export function classifyAttempt(result: AttemptResult): "succeeded" | "retryable" | "rejected" {
  if (result.kind !== "response") return "retryable";
  if (result.status >= 200 && result.status < 300) return "succeeded";
  if (result.status >= 500 || result.status === 408 || result.status === 429) return "retryable";
  return "rejected";
}

export const attemptError = (result: AttemptResult): string | null =>
  result.kind !== "response" ? result.kind : result.status >= 200 && result.status < 300 ? null : `http_${result.status}`;

/**
 * Automatic disable: an endpoint whose attempts have all failed for at least
 * 24 h, and at least 10 times in a row, is switched off (one dead delivery
 * meets this: ten attempts over 27.7 h).
 */
export const DISABLE_AFTER_FAILURES = 10;
export const DISABLE_AFTER_MS = 24 * 3_600_000;
export const shouldDisable = (failures: number, failingSince: number, now: number): boolean =>
  failures >= DISABLE_AFTER_FAILURES && now - failingSince >= DISABLE_AFTER_MS;
