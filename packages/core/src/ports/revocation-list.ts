import type { RevocationSnapshot } from "@plinto/contracts";

export type RevocationKind = "session" | "token" | "key";

/** One revoked id and the time (ms) after which no token it affects can still be valid. */
export interface RevocationEntry {
  kind: RevocationKind;
  id: string;
  until: number;
}

/**
 * Per-tenant list of revoked session ids, token ids and signing-key ids that
 * edge verifiers poll (the revocation-list Durable Object, one per tenant slug).
 */
export interface RevocationList {
  /** Adds entries (idempotent; an entry's `until` only grows); returns the new epoch. */
  revoke(tenantSlug: string, entries: RevocationEntry[], now: number): Promise<number>;
  snapshot(tenantSlug: string, now: number): Promise<RevocationSnapshot>;
}

/** Extra time an entry outlives the token lifetime: verifiers' clock tolerance and caches. */
export const REVOCATION_LEEWAY_MS = 60_000;
