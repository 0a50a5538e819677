import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Membership, Organization } from "../ports/organization-repositories";
import { grants, permissionsOfRole } from "./roles";

export interface OrgAccess {
  organization: Organization;
  /** The acting user's membership; null when a secret key (the tenant itself) acts. */
  membership: Membership | null;
}

/**
 * Loads the organization and checks that the actor may do what needs
 * `permission`. A tenant secret key, the operator and a tenant admin user
 * (users.role `admin`, who holds the management API anyway) may do
 * everything. Any other user must be a member whose role grants the
 * permission; a non-member gets 404, so organization ids cannot be probed.
 */
export async function requireOrgPermission(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  organizationId: string,
  permission: string,
): Promise<OrgAccess> {
  const tenantId = scope.tenant.id;
  if (actor.type === "user" && actor.role !== "admin") {
    const [organization, membership] = await Promise.all([
      deps.storage.organizations.get(tenantId, organizationId),
      deps.storage.memberships.get(tenantId, organizationId, actor.userId),
    ]);
    if (!organization || !membership) throw notFound();
    const permissions = (await permissionsOfRole(deps, tenantId, membership.role)) ?? [];
    if (!grants(permissions, permission)) {
      throw new PlintoError("forbidden", { detail: `your role ${membership.role} lacks ${permission}` });
    }
    return { organization, membership };
  }
  if (actor.type !== "api_key" && actor.type !== "operator" && actor.type !== "user") throw new PlintoError("forbidden");
  const organization = await deps.storage.organizations.get(tenantId, organizationId);
  if (!organization) throw notFound();
  return { organization, membership: null };
}

const notFound = () => new PlintoError("not_found", { detail: "no organization with this id" });
