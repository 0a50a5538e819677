import { sql, type SQL } from "drizzle-orm";

/**
 * The "an organization always keeps an owner" guard, as SQL both backends
 * run inside the changing statement itself: the row may change when it is
 * not an owner, or stays owner, or another owner remains.
 */
export function keepsAnOwner(organizationId: string, newRole: string | null): SQL {
  return sql`(organization_members.role <> 'owner' OR CAST(${newRole} AS TEXT) = 'owner' OR (SELECT COUNT(*) FROM organization_members AS others WHERE others.organization_id = ${organizationId} AND others.role = 'owner') > 1)`;
}

/** True when `userId` is currently an owner of the organization (for ownership transfer). */
export function isOwner(organizationId: string, userId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM organization_members AS owners WHERE owners.organization_id = ${organizationId} AND owners.user_id = ${userId} AND owners.role = 'owner')`;
}

/** True when the current organization_members row is its organization's only owner. */
export function soleOwner(): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM organization_members AS others WHERE others.organization_id = organization_members.organization_id AND others.role = 'owner' AND others.user_id <> organization_members.user_id)`;
}
