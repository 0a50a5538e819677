import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Authenticated } from "../sessions/authenticate";
import { signSessionAccessToken } from "../sessions/issue-tokens";
import { type OrganizationClaims, organizationClaims } from "./organization-claims";

/**
 * Makes `organizationId` (a membership of the caller) the active organization
 * of the current session, or clears it with null, and returns an access token
 * that carries it. Later refreshes keep it while the membership lasts.
 */
export async function switchActiveOrganization(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  organizationId: string | null,
): Promise<{ accessToken: string; expiresIn: number; claims: OrganizationClaims | null }> {
  if (organizationId !== null && !(await deps.storage.memberships.get(scope.tenant.id, organizationId, auth.user.id))) {
    throw new PlintoError("not_found", { detail: "you are not a member of this organization" });
  }
  const now = deps.clock.now();
  const session = await deps.sessions.forUser(scope.tenant.id, auth.user.id).setActiveOrganization(auth.session.id, organizationId, now);
  if (!session) throw new PlintoError("invalid_token", { detail: "session has ended" });
  const claims = await organizationClaims(deps, scope, session);
  const { accessToken, expiresIn } = await signSessionAccessToken(deps, scope, session, claims);
  await recordAuditEvent(deps, scope, {
    type: "session.organization_switched",
    actor: auth.actor,
    subjectId: auth.user.id,
    data: { session_id: session.id, organization_id: organizationId },
  });
  return { accessToken, expiresIn, claims };
}
