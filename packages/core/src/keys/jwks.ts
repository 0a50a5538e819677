import type { JWK } from "jose";
import type { SigningKey } from "../model";

/** RFC 7517 §5 JWK Set of the tenant's published public keys. */
export interface Jwks {
  keys: JWK[];
}

export function toJwks(keys: SigningKey[]): Jwks {
  return { keys: keys.map((key) => ({ ...key.publicJwk, kid: key.kid, alg: key.alg, use: "sig" })) };
}

/** Mirrors a tenant's JWKS where edge verifiers read it (KV `JWKS_CACHE`). */
export interface JwksMirror {
  publish(tenantSlug: string, jwks: Jwks): Promise<void>;
}
