import type { TenantScope } from "../deps";
import type { RevocationTarget } from "../ports/session-store";

/** Revocations of this tenant's sessions go to the list named by its slug (what verifiers derive from `iss`). */
export function revocationTarget(scope: TenantScope): RevocationTarget {
  return { list: scope.tenant.slug, accessTokenTtlSeconds: scope.tenant.settings.tokens.access_token_ttl_seconds };
}
