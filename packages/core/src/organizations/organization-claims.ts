import type { CoreDeps, TenantScope } from "../deps";
import type { SessionRecord } from "../ports/session-store";
import { permissionsOfRole } from "./roles";

/** Access-token claims for a session's active organization (DESIGN.md Tokens: `org_id`, `org_role`). */
export interface OrganizationClaims {
  org_id: string;
  org_role: string;
  /** The role's `resource:action` strings, when settings.organizations.permissions_in_token is on. */
  permissions?: string[];
}

/**
 * What the session's active organization puts into its access tokens. The
 * membership is read afresh at every signing (sign-in, refresh, switch), so a
 * removed member or a deleted organization loses the claims at the next
 * refresh; the session keeps working without them.
 */
export async function organizationClaims(deps: CoreDeps, scope: TenantScope, session: SessionRecord): Promise<OrganizationClaims | null> {
  if (!session.organizationId) return null;
  const membership = await deps.storage.memberships.get(scope.tenant.id, session.organizationId, session.userId);
  if (!membership) return null;
  const claims: OrganizationClaims = { org_id: membership.organizationId, org_role: membership.role };
  if (!scope.tenant.settings.organizations.permissions_in_token) return claims;
  return { ...claims, permissions: [...((await permissionsOfRole(deps, scope.tenant.id, membership.role)) ?? [])] };
}
