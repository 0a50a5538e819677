import { DurableObject } from "cloudflare:workers";
import type {
  AccountAdmission,
  FailureOutcome,
  LockStatus,
  LockoutPolicy,
  RateLimitDecision,
  RateLimitRule,
} from "../../packages/core/src/ports/rate-limiter";
import { idleAfter } from "./cleanup";
import { lockStatusAt, recordFailedAttempt, type LockoutState } from "./lockout";
import { consumeToken, type BucketState } from "./token-bucket";

const BUCKET_KEY = "bucket";
const LOCKOUT_KEY = "lockout";

/**
 * One object per bucket or account key (`env.RATE_LIMITER.getByName(key)`).
 * Storage (synchronous KV): `bucket` -> BucketState, `lockout` -> LockoutState.
 * Decisions use the caller's `now` (ms epoch); only the cleanup alarm reads the clock.
 * Each method reads, decides and writes without awaiting in between, so calls never interleave.
 */
export class RateLimiter extends DurableObject<Env> {
  /** True once this instance knows a cleanup alarm is pending. */
  private cleanupScheduled = false;

  async consume(rule: RateLimitRule, now: number): Promise<RateLimitDecision> {
    const { state, decision } = consumeToken(this.bucket(), rule, now);
    this.ctx.storage.kv.put(BUCKET_KEY, state);
    await this.scheduleCleanup();
    return decision;
  }

  /** Sign-in admission for an account: consume from its bucket and read its lock together. */
  async admit(rule: RateLimitRule, now: number): Promise<AccountAdmission> {
    const rate = await this.consume(rule, now);
    const lockout = this.lockout();
    return { rate, lock: lockStatusAt(lockout, now), hasFailures: lockout !== undefined };
  }

  lockStatus(now: number): LockStatus {
    return lockStatusAt(this.lockout(), now);
  }

  async recordFailure(policy: LockoutPolicy, now: number): Promise<FailureOutcome> {
    const { state, outcome } = recordFailedAttempt(this.lockout(), policy, now);
    this.ctx.storage.kv.put(LOCKOUT_KEY, state);
    await this.scheduleCleanup();
    return outcome;
  }

  /** Clears failures and lock history; also ends a running lock (the user proved who they are). */
  recordSuccess(): void {
    this.ctx.storage.kv.delete(LOCKOUT_KEY);
  }

  /** Deletes everything once idle, otherwise checks again when it will be. */
  override async alarm(): Promise<void> {
    this.cleanupScheduled = false;
    const at = idleAfter(this.bucket(), this.lockout());
    if (at === undefined || Date.now() >= at) {
      await this.ctx.storage.deleteAll();
      return;
    }
    await this.ctx.storage.setAlarm(at);
    this.cleanupScheduled = true;
  }

  private bucket(): BucketState | undefined {
    return this.ctx.storage.kv.get<BucketState>(BUCKET_KEY);
  }

  private lockout(): LockoutState | undefined {
    return this.ctx.storage.kv.get<LockoutState>(LOCKOUT_KEY);
  }

  /** Sets the alarm only if none is pending: an early alarm re-arms itself in `alarm()`. */
  private async scheduleCleanup(): Promise<void> {
    if (this.cleanupScheduled) return;
    const at = idleAfter(this.bucket(), this.lockout());
    if (at !== undefined && (await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
    this.cleanupScheduled = true;
  }
}
