import type { RevocationList } from "@plinto/core";

/** RevocationList port over the revocation-list Durable Object: one object per tenant slug. */
export function durableObjectRevocations(namespace: Env["REVOCATION_LIST"]): RevocationList {
  return {
    revoke: (tenantSlug, entries, now) => namespace.getByName(tenantSlug).revoke(entries, now),
    snapshot: (tenantSlug, now) => namespace.getByName(tenantSlug).snapshot(tenantSlug, now),
  };
}
