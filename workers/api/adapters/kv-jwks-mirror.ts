import type { Jwks, JwksMirror } from "@plinto/core";

/** KV key of a tenant's JWKS mirror (schema/README.md). */
export const jwksKvKey = (tenantSlug: string): string => `jwks:${tenantSlug}`;

export function kvJwksMirror(kv: KVNamespace): JwksMirror {
  return {
    publish: (tenantSlug, jwks) => kv.put(jwksKvKey(tenantSlug), JSON.stringify(jwks)),
  };
}

export async function readMirroredJwks(kv: KVNamespace, tenantSlug: string): Promise<Jwks | null> {
  return kv.get<Jwks>(jwksKvKey(tenantSlug), "json");
}
