import type { RevocationSnapshot } from "@plinto/contracts";
import { EdgeAuthError } from "../errors";
import { isListed, isSnapshotOf } from "./snapshot";
import { type CachedSnapshot, type CacheLike, readCachedSnapshot, writeCachedSnapshot } from "./snapshot-cache";

/** How often each layer answered; for benchmarks and the "<= 1% reach a DO" bound. */
export interface RevocationCounters {
  /** Calls to `source` (the revocation Durable Object, or whatever the app passes). */
  sourceCalls: number;
  /** Refreshes answered by the Cache API (another isolate of this location asked the source). */
  cacheHits: number;
  /** Checks answered from isolate memory without any refresh. */
  memoryHits: number;
}

export interface RevocationStoreConfig {
  source(tenant: string): Promise<RevocationSnapshot>;
  maxAgeMs: number;
  failOpenMs: number;
  timeoutMs: number;
  cache: CacheLike | undefined;
  cacheUrl: string;
  toleranceMs: number;
  counters: RevocationCounters;
}

/** The value, or undefined when the promise fails or takes longer than `ms` (its timer is cleared either way). */
async function withinTime<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } catch {
    return undefined;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * One tenant's revocation snapshot in isolate memory (DESIGN.md "Tokens").
 * A snapshot is used for `maxAgeMs` counted from when the source produced it,
 * whichever layer it came through, so a revocation is seen within about
 * `maxAgeMs` plus one source round trip. When stale: the Cache API (shared by
 * the isolates of a location) first, then the source; a request never waits
 * on another request's refresh (see `ready`). If the source fails, the last snapshot keeps being used
 * until it is `failOpenMs` old (availability over a few seconds of staleness),
 * with one retry per `maxAgeMs`; after that every check fails with
 * `revocation_unavailable` (fail closed) until the source answers again.
 */
export class RevocationStore {
  private snapshot: RevocationSnapshot | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private retryAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly tenant: string,
    private readonly config: RevocationStoreConfig,
  ) {}

  /**
   * Undefined when memory is fresh enough (the hot path, no promise);
   * otherwise this request's own refresh. Workers forbid a request to wait on
   * I/O another request started, so refreshes are never shared: while one
   * runs, other requests keep using the current snapshot if it is at most two
   * lifetimes old (the propagation bound stays within 2 x `maxAgeMs`), else
   * they refresh themselves.
   */
  ready(now: number): Promise<void> | undefined {
    const { maxAgeMs, counters } = this.config;
    const fresh = now < this.fetchedAt + maxAgeMs || now < this.retryAt;
    const coveredByOther = this.inflight !== undefined && now < this.fetchedAt + 2 * maxAgeMs;
    if (fresh || coveredByOther) {
      counters.memoryHits++;
      return undefined;
    }
    const mine: Promise<void> = this.refresh(now).finally(() => {
      if (this.inflight === mine) this.inflight = undefined;
    });
    this.inflight = mine;
    return mine;
  }

  /**
   * Throws when the session, the token or its signing key is revoked, or no snapshot is recent enough.
   * `sid` is undefined for client-credentials tokens: only their `jti` (and key) can be revoked.
   */
  check(sid: string | undefined, jti: string, kid: string, now: number): void {
    const { snapshot } = this;
    if (!snapshot || now >= this.fetchedAt + this.config.failOpenMs) throw new EdgeAuthError("revocation_unavailable");
    const { toleranceMs } = this.config;
    if (isListed(snapshot.keys, kid, now, toleranceMs)) throw new EdgeAuthError("key_revoked");
    if (sid !== undefined && isListed(snapshot.sessions, sid, now, toleranceMs)) throw new EdgeAuthError("session_revoked");
    if (isListed(snapshot.tokens, jti, now, toleranceMs)) throw new EdgeAuthError("token_revoked");
  }

  private async refresh(now: number): Promise<void> {
    const { cache, cacheUrl, counters, maxAgeMs } = this.config;
    if (cache) {
      const cached = await readCachedSnapshot(cache, cacheUrl, this.tenant);
      if (cached && now < cached.fetchedAt + maxAgeMs && cached.snapshot.epoch >= (this.snapshot?.epoch ?? 0)) {
        counters.cacheHits++;
        this.adopt(cached);
        return;
      }
    }
    counters.sourceCalls++;
    const snapshot = await withinTime(this.config.source(this.tenant), this.config.timeoutMs);
    if (!isSnapshotOf(snapshot, this.tenant)) {
      this.retryAt = now + maxAgeMs;
      return;
    }
    const copy = { snapshot, fetchedAt: now };
    this.adopt(copy);
    if (cache) await writeCachedSnapshot(cache, cacheUrl, copy, maxAgeMs);
  }

  private adopt(copy: CachedSnapshot): void {
    this.snapshot = copy.snapshot;
    this.fetchedAt = copy.fetchedAt;
  }
}
