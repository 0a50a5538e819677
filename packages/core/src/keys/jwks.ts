import type { JWK } from "jose";
import type { SigningKey } from "../model";

/** RFC 7517 §5 JWK Set of the tenant's published public keys. */
export interface Jwks {
  keys: JWK[];
}

/**
 * How long a mirrored copy is trusted at most: a lost or out-of-order mirror
 * write heals itself within this.
 */
export const JWKS_MIRROR_MAX_AGE_MS = 5 * 60_000;

/** A JWKS and the moment it stops being right on its own (the first retired key's publish window ends, or the mirror ages out). */
export interface PublishedJwks {
  jwks: Jwks;
  validUntil: number;
}

export function toPublishedJwks(keys: SigningKey[], now: number): PublishedJwks {
  const windows = keys.flatMap((key) => (key.status === "retired" && key.publishUntil !== null ? [key.publishUntil] : []));
  return {
    jwks: { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: "sig" })) },
    validUntil: Math.min(now + JWKS_MIRROR_MAX_AGE_MS, ...windows),
  };
}

/** Mirrors a tenant's JWKS where edge verifiers read it (KV `JWKS_CACHE`). */
export interface JwksMirror {
  publish(tenantSlug: string, published: PublishedJwks): Promise<void>;
}
