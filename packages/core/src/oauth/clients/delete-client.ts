import { recordAuditEvent } from "../../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import type { RevocationTarget } from "../../ports/session-store";
import { revocationTarget } from "../../sessions/revocation-target";
import { forgetClient } from "./client-cache";

/** Grants revoked at once; bounds the concurrent session-store calls. */
const REVOKE_BATCH = 20;

/** Revoked sids stay listed as long as the longest access token the client could hold. */
function clientRevocationTarget(scope: TenantScope, client: OAuthClient): RevocationTarget {
  const target = revocationTarget(scope);
  return { ...target, accessTokenTtlSeconds: Math.max(target.accessTokenTtlSeconds, client.accessTokenTtlSeconds ?? 0) };
}

/**
 * Revokes every grant of the client: its session-store session (refresh
 * tokens stop working, access tokens' `sid` is announced to edge verifiers)
 * and its oauth_grants row. Returns the number of grants revoked.
 */
export async function revokeClientGrants(deps: CoreDeps, scope: TenantScope, client: OAuthClient): Promise<number> {
  const grants = await deps.storage.oauthGrants.listForClient(scope.tenant.id, client.id);
  const target = clientRevocationTarget(scope, client);
  for (let start = 0; start < grants.length; start += REVOKE_BATCH) {
    await Promise.all(
      grants.slice(start, start + REVOKE_BATCH).map(async (grant) => {
        await deps.sessions.forUser(scope.tenant.id, grant.userId).revoke(grant.sessionId, "admin", deps.clock.now(), target);
        await deps.storage.oauthGrants.delete(scope.tenant.id, grant.sessionId);
      }),
    );
  }
  return grants.length;
}

/**
 * Deletes a client: its grants are revoked first (so no token issued to it
 * keeps working), then the consents users gave it, then the client.
 */
export async function deleteOAuthClient(deps: CoreDeps, scope: TenantScope, actor: Actor, client: OAuthClient): Promise<void> {
  const revoked = await revokeClientGrants(deps, scope, client);
  await deps.storage.oauthConsents.deleteForClient(scope.tenant.id, client.id);
  await deps.storage.oneTimeTokens.deleteForSubject(scope.tenant.id, "oauth_client_assertion", client.id);
  if (!(await deps.storage.oauthClients.delete(scope.tenant.id, client.id))) {
    throw new PlintoError("not_found", { detail: "no OAuth client with this id" });
  }
  forgetClient(scope.tenant.id, client.id);
  await recordAuditEvent(deps, scope, {
    type: "oauth_client.deleted",
    actor,
    subjectId: client.id,
    data: { name: client.name, created_via: client.createdVia, revoked_grants: revoked },
  });
}
