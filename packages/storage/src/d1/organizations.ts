import { type OrganizationRepository, PlintoError } from "@plinto/core";
import { organizationInvitations, organizationMembers, organizations } from "@plinto/schema/sqlite";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { organizationFromRow, organizationToRow } from "../organization-rows";
import { isUniqueViolation, pageOf } from "./rows";

const slugTaken = (error: unknown): never => {
  if (isUniqueViolation(error)) throw new PlintoError("organization_slug_taken");
  throw error;
};

/** Organizations on D1; creation writes the organization and its first owner in one batch. */
export function d1Organizations(db: DrizzleD1Database): OrganizationRepository {
  const one = (tenantId: string, id: string) => and(eq(organizations.tenantId, tenantId), eq(organizations.id, id));
  return {
    async create(organization, owner) {
      await db.batch([db.insert(organizations).values(organizationToRow(organization)), db.insert(organizationMembers).values(owner)]).catch(slugTaken);
    },
    async get(tenantId, id) {
      const row = await db.select().from(organizations).where(one(tenantId, id)).get();
      return row ? organizationFromRow(row) : null;
    },
    async update(tenantId, id, patch) {
      const set = { ...patch, metadata: patch.metadata === undefined ? undefined : JSON.stringify(patch.metadata) };
      const [row] = await db.update(organizations).set(set).where(one(tenantId, id)).returning().catch(slugTaken);
      return row ? organizationFromRow(row) : null;
    },
    async delete(tenantId, id) {
      const memberOf = and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.organizationId, id));
      const invitationOf = and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.organizationId, id));
      const [, , deleted] = await db.batch([
        db.delete(organizationMembers).where(memberOf),
        db.delete(organizationInvitations).where(invitationOf),
        db.delete(organizations).where(one(tenantId, id)).returning({ id: organizations.id }),
      ]);
      return deleted.length > 0;
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select({ organization: organizations, role: organizationMembers.role, joinedAt: organizationMembers.createdAt })
        .from(organizationMembers)
        .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.userId, userId)))
        .orderBy(asc(organizationMembers.createdAt), asc(organizations.id))
        .all();
      return rows.map((row) => ({ organization: organizationFromRow(row.organization), role: row.role, joinedAt: row.joinedAt }));
    },
    async list({ tenantId, afterId, limit }) {
      const rows = await db
        .select()
        .from(organizations)
        .where(and(eq(organizations.tenantId, tenantId), afterId ? lt(organizations.id, afterId) : undefined))
        .orderBy(desc(organizations.id))
        .limit(limit + 1)
        .all();
      return pageOf(rows, limit, organizationFromRow);
    },
  };
}
