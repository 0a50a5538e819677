import type { RevocationSnapshot } from "@plinto/contracts";

/**
 * What the edge-verify worker needs, stated structurally so the app can be
 * built (and tested) from any worker whose bindings fit. `index.ts` checks the
 * wrangler-generated `EdgeVerifyEnv` against it.
 */
export interface EdgeVerifyBindings {
  /** Tokens must carry `iss = {PLINTO_ORIGIN}/t/{tenant}`. */
  PLINTO_ORIGIN: string;
  /** The api worker (service binding). */
  API: Fetcher;
  /** The api worker's revocation lists; without it snapshots come through `API`. */
  REVOCATION_LIST?: DurableObjectNamespace;
  /** The api worker's JWKS mirror; without it JWKS come through `API`. */
  JWKS_CACHE?: KVNamespace;
}

/** The RPC surface of the api worker's RevocationList object that this worker calls. */
export interface RevocationListRpc {
  snapshot(tenant: string, now: number): Promise<RevocationSnapshot>;
}
