import type { JWK } from "jose";
import type { SigningKey } from "../model";

/** RFC 7517 §5 JWK Set of the tenant's published public keys. */
export interface Jwks {
  keys: JWK[];
}

/** A JWKS and the moment it stops being right on its own (the first retired key's publish window ends). */
export interface PublishedJwks {
  jwks: Jwks;
  validUntil: number | null;
}

export function toPublishedJwks(keys: SigningKey[]): PublishedJwks {
  const windows = keys.flatMap((key) => (key.status === "retired" && key.publishUntil !== null ? [key.publishUntil] : []));
  return {
    jwks: { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: "sig" })) },
    validUntil: windows.length > 0 ? Math.min(...windows) : null,
  };
}

/** Mirrors a tenant's JWKS where edge verifiers read it (KV `JWKS_CACHE`). */
export interface JwksMirror {
  publish(tenantSlug: string, published: PublishedJwks): Promise<void>;
}
