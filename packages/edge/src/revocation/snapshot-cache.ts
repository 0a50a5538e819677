import type { RevocationSnapshot } from "@plinto/contracts";
import { isSnapshotOf } from "./snapshot";

/** Structural subset of the Cache API (`caches.default` in Workers, `await caches.open(...)` in service workers). */
export interface CacheLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/** When the source produced the cached copy (ms epoch, the verifier's clock): freshness is counted from there. */
const FETCHED_AT = "x-plinto-fetched-at";

export interface CachedSnapshot {
  snapshot: RevocationSnapshot;
  fetchedAt: number;
}

/** The copy another isolate of this location stored, or undefined (miss, unreadable, other tenant). */
export async function readCachedSnapshot(cache: CacheLike, url: string, tenant: string): Promise<CachedSnapshot | undefined> {
  try {
    const response = await cache.match(new Request(url));
    if (!response?.ok) return undefined;
    const fetchedAt = Number(response.headers.get(FETCHED_AT));
    const snapshot: unknown = await response.json();
    return Number.isFinite(fetchedAt) && isSnapshotOf(snapshot, tenant) ? { snapshot, fetchedAt } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Shares a fresh copy with the other isolates of this location. `max-age`
 * (whole seconds, at least 1) lets the cache drop it; readers also check
 * `x-plinto-fetched-at` themselves, so a cache that keeps it longer changes nothing.
 */
export async function writeCachedSnapshot(cache: CacheLike, url: string, copy: CachedSnapshot, maxAgeMs: number): Promise<void> {
  const response = new Response(JSON.stringify(copy.snapshot), {
    headers: {
      "content-type": "application/json",
      "cache-control": `max-age=${Math.max(1, Math.ceil(maxAgeMs / 1000))}`,
      [FETCHED_AT]: String(copy.fetchedAt),
    },
  });
  try {
    await cache.put(new Request(url), response);
  } catch {
    // A cache that refuses the entry only costs the next isolate a source call.
  }
}
