import { EdgeAuthError } from "../errors";

/** A tenant as the verifier knows it: its slug and its issuer (`{origin}/t/{slug}`). */
export interface TenantRef {
  readonly slug: string;
  readonly issuer: string;
}

/** A JWK Set as a source returned it, before any key in it is trusted. */
export interface LoadedJwks {
  readonly keys: readonly unknown[];
  /** ms epoch after which this copy must not be used without reloading; null = no limit of its own. */
  readonly validUntil: number | null;
}

/** Where a tenant's JWK Set comes from; null means "not here" (try the next source). */
export type JwksSource = (tenant: TenantRef, now: number) => Promise<LoadedJwks | null>;

/** Structural subset of `fetch` (global fetch, a Workers service binding's `fetch`, a test double). */
export type FetchLike = (url: string, init: { headers: Record<string, string>; signal?: AbortSignal }) => Promise<Response>;

/** Structural subset of a Workers KV namespace (`JWKS_CACHE`). */
export interface KvLike {
  get(key: string, type: "json"): Promise<unknown>;
}

const keysOf = (value: unknown): readonly unknown[] | null => {
  if (typeof value !== "object" || value === null) return null;
  const { keys } = value as { keys?: unknown };
  return Array.isArray(keys) ? keys : null;
};

/**
 * The tenant's published JWKS over HTTP (RFC 7517 §5). The URL comes from
 * configuration only, never from the token (RFC 8725 §3.10: `jku`, `x5u`).
 */
export function urlJwksSource(urlFor: (tenant: TenantRef) => string, fetchJwks: FetchLike, timeoutMs: number): JwksSource {
  return async (tenant) => {
    const response = await fetchJwks(urlFor(tenant), {
      headers: { accept: "application/jwk-set+json, application/json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`JWKS request failed with status ${response.status}`);
    const keys = keysOf(await response.json());
    if (!keys) throw new Error("JWKS response is not a JWK Set");
    return { keys, validUntil: null };
  };
}

/** The api worker's mirror in KV: key `jwks:{tenantSlug}`, value `{ jwks, valid_until }` (schema/README.md). */
export function kvJwksSource(kv: KvLike): JwksSource {
  return async (tenant, now) => {
    const entry = await kv.get(`jwks:${tenant.slug}`, "json");
    if (typeof entry !== "object" || entry === null) return null;
    const { jwks, valid_until: validUntil } = entry as { jwks?: unknown; valid_until?: unknown };
    const keys = keysOf(jwks);
    if (!keys) return null;
    if (typeof validUntil === "number" && now >= validUntil) return null;
    return { keys, validUntil: typeof validUntil === "number" ? validUntil : null };
  };
}

const lists = (loaded: LoadedJwks, kid: string): boolean =>
  loaded.keys.some((key) => typeof key === "object" && key !== null && (key as { kid?: unknown }).kid === kid);

/**
 * Asks each source in turn (KV mirror first, then the origin). A source that
 * has the set but not the kid being looked for may be lagging (KV is
 * eventually consistent), so the next one is asked too; the last set found wins.
 * No set anywhere (an unknown tenant) is an empty set; `jwks_unavailable` is
 * thrown only when a source failed and none answered.
 */
export async function loadJwks(sources: readonly JwksSource[], tenant: TenantRef, now: number, wantedKid?: string): Promise<LoadedJwks> {
  let found: LoadedJwks | null = null;
  let failed = false;
  let failure: unknown;
  for (const source of sources) {
    try {
      const loaded = await source(tenant, now);
      if (!loaded) continue;
      found = loaded;
      if (wantedKid === undefined || lists(loaded, wantedKid)) return loaded;
    } catch (error) {
      failed = true;
      failure = error;
    }
  }
  if (found) return found;
  if (failed) throw new EdgeAuthError("jwks_unavailable", { cause: failure });
  return { keys: [], validUntil: null };
}
