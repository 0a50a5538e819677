import type { RateLimitDecision, RateLimitRule } from "../../packages/core/src/ports/rate-limiter";

/** What the rate-limiter object stores for its bucket (storage key `bucket`). */
export interface BucketState {
  /** Tokens left at `updatedAt`; fractional while refilling. */
  tokens: number;
  /** Caller clock (ms epoch) of the last consume. */
  updatedAt: number;
  /** The rule in force at `updatedAt`, so a changed rule can be adapted and idleness computed. */
  limit: number;
  windowSeconds: number;
}

export interface ConsumeResult {
  state: BucketState;
  decision: RateLimitDecision;
}

/** Absorbs float rounding in refill arithmetic (e.g. 1/3 + 2/3 of a token). */
const EPSILON = 1e-9;

export function assertValidRule(rule: RateLimitRule): void {
  const ok = Number.isFinite(rule.limit) && rule.limit >= 1 && Number.isFinite(rule.windowSeconds) && rule.windowSeconds > 0;
  if (!ok) throw new RangeError(`invalid rate-limit rule: ${rule.limit} per ${rule.windowSeconds}s`);
}

/** Tokens gained over `elapsedMs`: multiply before dividing so whole tokens come out exact. */
function refill(rule: RateLimitRule, elapsedMs: number): number {
  return (elapsedMs * rule.limit) / (rule.windowSeconds * 1000);
}

/**
 * Tokens available at `now` under `rule`. A raised limit grants its extra capacity
 * at once; a lowered limit caps the tokens left. A clock behind `updatedAt` refills nothing.
 */
export function tokensAt(state: BucketState | undefined, rule: RateLimitRule, now: number): number {
  if (!state) return rule.limit;
  const raised = Math.max(0, rule.limit - state.limit);
  const elapsedMs = Math.max(0, now - state.updatedAt);
  return Math.min(rule.limit, state.tokens + raised + refill(rule, elapsedMs));
}

/** Caller-clock time (ms) at which the bucket is full again; a missing bucket means a full one. */
export function bucketFullAt(state: BucketState): number {
  const missing = Math.max(0, state.limit - state.tokens);
  return state.updatedAt + (missing * state.windowSeconds * 1000) / state.limit;
}

/**
 * Takes one token if there is one. Token bucket of capacity `limit`, refilled
 * continuously at `limit / windowSeconds` tokens per second.
 */
export function consumeToken(state: BucketState | undefined, rule: RateLimitRule, now: number): ConsumeResult {
  assertValidRule(rule);
  const available = tokensAt(state, rule, now);
  const updatedAt = Math.max(now, state?.updatedAt ?? now);
  const next = { limit: rule.limit, windowSeconds: rule.windowSeconds, updatedAt };
  if (available + EPSILON >= 1) {
    const tokens = Math.max(0, available - 1);
    const remaining = Math.floor(tokens + EPSILON);
    return { state: { ...next, tokens }, decision: { allowed: true, remaining, retryAfterSeconds: 0 } };
  }
  const waitSeconds = ((1 - available) * rule.windowSeconds) / rule.limit;
  const retryAfterSeconds = Math.max(1, Math.ceil(waitSeconds - EPSILON));
  return { state: { ...next, tokens: available }, decision: { allowed: false, remaining: 0, retryAfterSeconds } };
}
