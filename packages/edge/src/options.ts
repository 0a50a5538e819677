import type { RevocationSnapshot } from "@plinto/contracts";
import type { FetchLike, KvLike, TenantRef } from "./jwks/sources";
import type { CacheLike } from "./revocation/snapshot-cache";

export interface RevocationOptions {
  /** The tenant's snapshot, e.g. from the revocation Durable Object or `GET .../revocations`. */
  source: (tenant: string) => Promise<RevocationSnapshot>;
  /** How long a snapshot is used, counted from when the source produced it. Default 1000 ms. */
  maxAgeMs?: number;
  /** How long the last snapshot keeps being used while the source fails; then `revocation_unavailable`. Default 30 000 ms. */
  failOpenMs?: number;
  /** A source call taking longer counts as failed (the last snapshot keeps serving within `failOpenMs`). Default 2000 ms. */
  timeoutMs?: number;
  /** Shared by the isolates of a location (`caches.default` in Workers). Without it every isolate asks the source. */
  cache?: CacheLike;
  /** Cache key of a tenant's snapshot. Default `{issuer}/__plinto-edge/revocations`. */
  cacheKeyUrl?: (tenant: TenantRef) => string;
}

export interface VerifierOptions {
  /** Accept one tenant: tokens must carry exactly this `iss`. Give this or `origin`. */
  issuer?: string;
  /** Tenant slug of `issuer` when it is not shaped `{origin}/t/{slug}` (a custom domain). */
  tenant?: string;
  /** Accept the tenants of one Plinto origin: `iss` must be `{origin}/t/{slug}`. Give this or `issuer`. */
  origin?: string;
  /** With `origin`: only these slugs. Without it any tenant of the origin is accepted (check `token.tenant`). */
  tenants?: readonly string[];
  /** With `origin`: tenants held in memory at once. Default 1000. */
  maxTenants?: number;
  /** Accepted `aud` values. Default: the tenant's issuer (what Plinto puts in `aud` unless told otherwise). */
  audience?: string | readonly string[];
  /** Where JWKS are fetched; `false` = only `kv`. Default `{issuer}/.well-known/jwks.json`. */
  jwksUrl?: string | false | ((tenant: TenantRef) => string);
  /** Used for `jwksUrl`, e.g. a Workers service binding's `fetch`. Default: global fetch. */
  fetch?: FetchLike;
  /** The api worker's KV mirror (`JWKS_CACHE`), read before `jwksUrl`. */
  kv?: KvLike;
  /** JWKS lifetime in memory. Default 300 000 ms (5 min). */
  jwksMaxAgeMs?: number;
  /** Least time between unknown-kid (or failed) reloads of one tenant's JWKS. Default 30 000 ms. */
  jwksCooldownMs?: number;
  /** Abort a JWKS request after this long. Default 5000 ms. */
  jwksTimeoutMs?: number;
  /** Allowed clock skew for `exp`, `nbf`, `iat`, in seconds. Default 5. */
  clockTolerance?: number;
  /** Current time in ms (injected clock). Default `Date.now`. */
  now?: () => number;
  revocation?: RevocationOptions;
  /** Longer tokens are refused before any parsing. Default 8192. */
  maxTokenLength?: number;
  /** Verified tokens remembered per isolate (0 = off). Default 10 000. */
  tokenCacheSize?: number;
}

/** Options with every default applied and checked once, at creation. */
export interface Settings {
  now: () => number;
  toleranceSeconds: number;
  maxTokenLength: number;
  tokenCacheSize: number;
  maxTenants: number;
  audiences: readonly string[] | undefined;
  jwks: { maxAgeMs: number; cooldownMs: number; timeoutMs: number };
  revocation: { maxAgeMs: number; failOpenMs: number; timeoutMs: number } | undefined;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`@plinto/edge: "${name}" must be a non-negative number`);
  return value;
}

export function resolveSettings(options: VerifierOptions): Settings {
  if ((options.issuer === undefined) === (options.origin === undefined)) {
    throw new TypeError('@plinto/edge: give exactly one of "issuer" or "origin"');
  }
  const { audience, revocation } = options;
  return {
    now: options.now ?? Date.now,
    toleranceSeconds: count("clockTolerance", options.clockTolerance, 5),
    maxTokenLength: count("maxTokenLength", options.maxTokenLength, 8_192),
    tokenCacheSize: count("tokenCacheSize", options.tokenCacheSize, 10_000),
    maxTenants: Math.max(1, count("maxTenants", options.maxTenants, 1_000)),
    audiences: audience === undefined ? undefined : typeof audience === "string" ? [audience] : [...audience],
    jwks: {
      maxAgeMs: count("jwksMaxAgeMs", options.jwksMaxAgeMs, 300_000),
      cooldownMs: count("jwksCooldownMs", options.jwksCooldownMs, 30_000),
      timeoutMs: count("jwksTimeoutMs", options.jwksTimeoutMs, 5_000),
    },
    revocation: revocation && {
      maxAgeMs: count("revocation.maxAgeMs", revocation.maxAgeMs, 1_000),
      failOpenMs: count("revocation.failOpenMs", revocation.failOpenMs, 30_000),
      timeoutMs: count("revocation.timeoutMs", revocation.timeoutMs, 2_000),
    },
  };
}
