import type { CoreDeps } from "../../deps";
import type { OAuthClient } from "../../ports/oauth-repositories";

/**
 * How long an isolate trusts its copy of a client, like tenant records and
 * signing keys (keys/keyring.ts). Changes made in this isolate (update, secret
 * rotation, deletion) apply at once; other isolates see them within this.
 */
export const CLIENT_CACHE_TTL_MS = 5_000;
const MAX_CACHED_CLIENTS = 10_000;

const cache = new Map<string, { client: OAuthClient; fetchedAt: number }>();
const keyOf = (tenantId: string, clientId: string) => `${tenantId}:${clientId}`;

/**
 * The client, from this isolate's cache when fetched less than
 * CLIENT_CACHE_TTL_MS ago (client authentication is on the token endpoint's
 * hot path: machine clients ask for tokens many times a second). Unknown
 * clients are never cached, so a client is usable as soon as it is created.
 */
export async function cachedClient(deps: CoreDeps, tenantId: string, clientId: string): Promise<OAuthClient | null> {
  const now = deps.clock.now();
  const key = keyOf(tenantId, clientId);
  const entry = cache.get(key);
  if (entry && now >= entry.fetchedAt && now - entry.fetchedAt <= CLIENT_CACHE_TTL_MS) return entry.client;
  const client = await deps.storage.oauthClients.get(tenantId, clientId);
  if (!client) {
    cache.delete(key);
    return null;
  }
  if (cache.size >= MAX_CACHED_CLIENTS) cache.clear();
  cache.set(key, { client, fetchedAt: now });
  return client;
}

/** Drops a client from this isolate's cache; call after updating, rotating the secret of, or deleting it. */
export function forgetClient(tenantId: string, clientId: string): void {
  cache.delete(keyOf(tenantId, clientId));
}
