import type { Jwks, JwksMirror } from "@plinto/core";

/** KV key of a tenant's JWKS mirror (schema/README.md). */
export const jwksKvKey = (tenantSlug: string): string => `jwks:${tenantSlug}`;

/** Stored value: the JWKS and when a retired key in it leaves its publish window (then the mirror is stale). */
interface MirrorEntry {
  jwks: Jwks;
  valid_until: number | null;
}

export function kvJwksMirror(kv: KVNamespace): JwksMirror {
  return {
    publish: (tenantSlug, published) =>
      kv.put(jwksKvKey(tenantSlug), JSON.stringify({ jwks: published.jwks, valid_until: published.validUntil })),
  };
}

/** The mirrored JWKS, or null when missing or past its validity (the caller rebuilds and republishes it). */
export async function readMirroredJwks(kv: KVNamespace, tenantSlug: string, now: number): Promise<Jwks | null> {
  const entry = await kv.get<MirrorEntry>(jwksKvKey(tenantSlug), "json");
  if (!entry?.jwks) return null;
  if (entry.valid_until !== null && now >= entry.valid_until) return null;
  return entry.jwks;
}

