import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Membership, MembershipChange } from "../ports/organization-repositories";
import { type OrgAccess, requireOrgPermission } from "./org-access";
import { assertRoleExists, grants, ORG_PERMISSIONS, permissionsOfRole } from "./roles";

const memberNotFound = () => new PlintoError("not_found", { detail: "no member with this user id" });

function settle(change: MembershipChange): void {
  if (change === "not_found") throw memberNotFound();
  if (change === "last_owner") throw new PlintoError("last_owner");
}

/** Granting or taking away `owner` is an ownership decision: for a user actor it needs `organization:transfer`. */
async function assertMayTouchOwnership(deps: CoreDeps, scope: TenantScope, access: OrgAccess): Promise<void> {
  if (!access.membership) return;
  const permissions = (await permissionsOfRole(deps, scope.tenant.id, access.membership.role)) ?? [];
  if (!grants(permissions, ORG_PERMISSIONS.transfer)) {
    throw new PlintoError("forbidden", { detail: "only an owner may grant or take away the owner role" });
  }
}

export async function listMembers(deps: CoreDeps, scope: TenantScope, actor: Actor, organizationId: string) {
  await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.readMembers);
  return deps.storage.memberships.list(scope.tenant.id, organizationId);
}

/** Adds an existing user directly (management API; users join through invitations). */
export async function addMember(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  organizationId: string,
  input: { userId: string; role: string },
): Promise<Membership> {
  const access = await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.manageMembers);
  await assertRoleExists(deps, scope.tenant.id, input.role);
  if (input.role === "owner") await assertMayTouchOwnership(deps, scope, access);
  if (!(await deps.storage.users.getById(scope.tenant.id, input.userId))) throw new PlintoError("not_found", { detail: "no user with this id" });
  const now = deps.clock.now();
  const membership: Membership = { tenantId: scope.tenant.id, organizationId, userId: input.userId, role: input.role, createdAt: now, updatedAt: now };
  await deps.storage.memberships.add(membership);
  await recordAuditEvent(deps, scope, {
    type: "membership.created",
    actor,
    subjectId: input.userId,
    data: { organization_id: organizationId, role: input.role, via: "direct" },
  });
  return membership;
}

export async function changeMemberRole(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  organizationId: string,
  userId: string,
  role: string,
): Promise<Membership> {
  const access = await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.manageMembers);
  await assertRoleExists(deps, scope.tenant.id, role);
  const current = await deps.storage.memberships.get(scope.tenant.id, organizationId, userId);
  if (!current) throw memberNotFound();
  if (current.role === role) return current;
  if (role === "owner" || current.role === "owner") await assertMayTouchOwnership(deps, scope, access);
  const at = deps.clock.now();
  settle(await deps.storage.memberships.changeRole(scope.tenant.id, organizationId, userId, role, at));
  await recordAuditEvent(deps, scope, {
    type: "membership.updated",
    actor,
    subjectId: userId,
    data: { organization_id: organizationId, from_role: current.role, role },
  });
  return { ...current, role, updatedAt: at };
}

/** Removes a member (the caller themselves included); an owner can be removed only by an owner, and never the last one. */
export async function removeMember(deps: CoreDeps, scope: TenantScope, actor: Actor, organizationId: string, userId: string): Promise<void> {
  const self = actor.type === "user" && actor.userId === userId;
  const access = await requireOrgPermission(
    deps,
    scope,
    actor,
    organizationId,
    self ? ORG_PERMISSIONS.read : ORG_PERMISSIONS.manageMembers,
  );
  const current = self ? access.membership : await deps.storage.memberships.get(scope.tenant.id, organizationId, userId);
  if (!current) throw memberNotFound();
  if (current.role === "owner" && !self) await assertMayTouchOwnership(deps, scope, access);
  settle(await deps.storage.memberships.remove(scope.tenant.id, organizationId, userId));
  await recordAuditEvent(deps, scope, {
    type: "membership.deleted",
    actor,
    subjectId: userId,
    data: { organization_id: organizationId, role: current.role, reason: self ? "left" : "removed" },
  });
}

/** The caller leaves; the last owner must transfer ownership first (409 `last_owner`). */
export async function leaveOrganization(deps: CoreDeps, scope: TenantScope, actor: Extract<Actor, { type: "user" }>, organizationId: string) {
  await removeMember(deps, scope, actor, organizationId, actor.userId);
}

/** The caller (an owner) hands ownership to another member and becomes admin, in one transaction. */
export async function transferOwnership(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Extract<Actor, { type: "user" }>,
  organizationId: string,
  toUserId: string,
): Promise<void> {
  await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.transfer);
  if (toUserId === actor.userId) {
    throw new PlintoError("validation_failed", { errors: [{ path: "user_id", message: "you already own it", code: "same_user" }] });
  }
  const moved = await deps.storage.memberships.transferOwnership(scope.tenant.id, organizationId, actor.userId, toUserId, deps.clock.now());
  if (!moved) throw memberNotFound();
  await recordAuditEvent(deps, scope, {
    type: "organization.ownership_transferred",
    actor,
    subjectId: organizationId,
    data: { from_user_id: actor.userId, to_user_id: toUserId },
  });
}
