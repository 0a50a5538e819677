import { BUILT_IN_ROLES, type BuiltInRole } from "@plinto/contracts";
import type { CoreDeps } from "../deps";
import { PlintoError } from "../errors";

/**
 * The permissions an organization action needs. Built-in roles and custom
 * roles grant these same `resource:action` strings, so a tenant can make a
 * role that, say, may invite but not remove members.
 */
export const ORG_PERMISSIONS = {
  read: "organization:read",
  update: "organization:update",
  delete: "organization:delete",
  transfer: "organization:transfer",
  readMembers: "members:read",
  manageMembers: "members:manage",
  manageInvitations: "invitations:manage",
} as const;

const P = ORG_PERMISSIONS;

/** Built-in roles, widest first. Only owners may delete the organization, hand over or grant ownership. */
export const BUILT_IN_PERMISSIONS: Record<BuiltInRole, readonly string[]> = {
  owner: [P.read, P.update, P.delete, P.transfer, P.readMembers, P.manageMembers, P.manageInvitations],
  admin: [P.read, P.update, P.readMembers, P.manageMembers, P.manageInvitations],
  member: [P.read, P.readMembers],
  viewer: [P.read],
};

export const isBuiltInRole = (role: string): role is BuiltInRole => (BUILT_IN_ROLES as readonly string[]).includes(role);

/** True when `granted` holds `wanted` itself or its resource's wildcard `resource:*`. */
export function grants(granted: readonly string[], wanted: string): boolean {
  if (granted.includes(wanted)) return true;
  const colon = wanted.indexOf(":");
  return colon > 0 && granted.includes(`${wanted.slice(0, colon)}:*`);
}

/** The permissions of a role in this tenant; null when no such role exists (a custom role deleted meanwhile). */
export async function permissionsOfRole(deps: CoreDeps, tenantId: string, role: string): Promise<readonly string[] | null> {
  if (isBuiltInRole(role)) return BUILT_IN_PERMISSIONS[role];
  return (await deps.storage.customRoles.get(tenantId, role))?.permissions ?? null;
}

/** Refuses a role key that names neither a built-in nor a custom role, as a field error at `path`. */
export async function assertRoleExists(deps: CoreDeps, tenantId: string, role: string, path = "role"): Promise<void> {
  if ((await permissionsOfRole(deps, tenantId, role)) !== null) return;
  throw new PlintoError("validation_failed", {
    errors: [{ path, message: `unknown role ${role}: use a built-in role or create it under /admin/roles`, code: "unknown_role" }],
  });
}
