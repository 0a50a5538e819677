import { EdgeAuthError } from "../errors";
import type { TenantState } from "../tenants";
import type { LoadedJwks, TenantRef } from "./sources";
import { candidateKeys, type ImportedKey, importKey } from "./usable-keys";

/** A verification key of one tenant, held in isolate memory. */
export interface KeyRecord extends ImportedKey {
  readonly tenant: TenantState;
  /** Turns false, for good, once a refresh no longer lists this key (or its tenant is dropped). */
  active: boolean;
}

export interface TenantKeysConfig {
  load(tenant: TenantRef, now: number, wantedKid?: string): Promise<LoadedJwks>;
  /** How long a loaded set is used before it is reloaded (capped by the set's own `validUntil`). */
  maxAgeMs: number;
  /** Least time between two loads triggered by unknown kids, and before retrying a failed first load. */
  cooldownMs: number;
  /** Told of every key that appears or disappears, so indexes and the token cache follow at once. */
  onChange(added: readonly KeyRecord[], removed: readonly KeyRecord[]): void;
}

/**
 * One tenant's JWK Set in isolate memory. Reloaded when its lifetime ends and
 * when a token names an unknown kid, the latter at most once per cool-down, so
 * a flood of random kids cannot hammer the origin while a freshly rotated key
 * is normally picked up by its first token. Concurrent reloads share one
 * promise. A failed reload keeps the last good set and retries after the cool-down.
 */
export class TenantKeys {
  private records = new Map<string, KeyRecord>();
  private loaded = false;
  private staleAt = 0;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private lastUnknownKidAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly tenant: TenantState,
    private readonly config: TenantKeysConfig,
  ) {}

  isFresh(now: number): boolean {
    return now < this.staleAt;
  }

  /** The key for `kid`, loading the set if needed; `unknown_key` when it is not published. */
  async find(kid: string, now: number): Promise<KeyRecord> {
    const heldFreshSet = this.isFresh(now) && !this.inflight;
    await this.ensureFresh(now);
    let record = this.records.get(kid);
    // A set loaded by this very call is as new as it gets; otherwise one reload per cool-down.
    if (!record && heldFreshSet && now - this.lastUnknownKidAt >= this.config.cooldownMs) {
      this.lastUnknownKidAt = now;
      await this.reload(now, kid);
      record = this.records.get(kid);
    }
    if (!record) throw new EdgeAuthError("unknown_key");
    return record;
  }

  /**
   * Workers forbid a request to wait on I/O another request started ("Cannot
   * perform I/O on behalf of a different request"), so a reload is never
   * shared: while one runs, other requests keep using the set already held,
   * and a request with no set at all loads its own.
   */
  ensureFresh(now: number): Promise<void> {
    if (now < this.staleAt) return Promise.resolve();
    if (this.inflight && this.loaded) return Promise.resolve();
    // A failed first load cools down; one still running is not a failure (load our own set).
    if (!this.loaded && !this.inflight && now - this.lastAttemptAt < this.config.cooldownMs) {
      return Promise.reject(new EdgeAuthError("jwks_unavailable"));
    }
    return this.reload(now);
  }

  /** Forgets every key (the tenant is dropped from memory). */
  clear(): void {
    const removed = [...this.records.values()];
    for (const record of removed) record.active = false;
    this.records = new Map();
    this.loaded = false;
    this.staleAt = 0;
    if (removed.length > 0) this.config.onChange([], removed);
  }

  /** Starts this request's own reload; `inflight` only tells other requests that one is running. */
  private reload(now: number, wantedKid?: string): Promise<void> {
    const mine: Promise<void> = this.load(now, wantedKid).finally(() => {
      if (this.inflight === mine) this.inflight = undefined;
    });
    this.inflight = mine;
    return mine;
  }

  private async load(now: number, wantedKid: string | undefined): Promise<void> {
    this.lastAttemptAt = now;
    try {
      const loaded = await this.config.load(this.tenant, now, wantedKid);
      await this.replace(loaded.keys);
      this.loaded = true;
      this.staleAt = Math.min(now + this.config.maxAgeMs, loaded.validUntil ?? Number.POSITIVE_INFINITY);
    } catch (error) {
      if (!this.loaded) throw error;
      this.staleAt = now + this.config.cooldownMs;
    }
  }

  /** Swaps in a new set, reusing imported CryptoKeys of kids whose material did not change. */
  private async replace(keys: readonly unknown[]): Promise<void> {
    const next = new Map<string, KeyRecord>();
    const added: KeyRecord[] = [];
    await Promise.all(
      candidateKeys(keys).map(async (candidate) => {
        const current = this.records.get(candidate.kid);
        if (current?.fingerprint === candidate.fingerprint) {
          next.set(candidate.kid, current);
          return;
        }
        const imported = await importKey(candidate);
        if (!imported) return;
        const record: KeyRecord = { ...imported, tenant: this.tenant, active: true };
        next.set(candidate.kid, record);
        added.push(record);
      }),
    );
    const removed = [...this.records.values()].filter((record) => next.get(record.kid) !== record);
    for (const record of removed) record.active = false;
    this.records = next;
    if (added.length > 0 || removed.length > 0) this.config.onChange(added, removed);
  }
}
