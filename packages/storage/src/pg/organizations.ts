import { type OrganizationRepository, PlintoError } from "@plinto/core";
import { organizationInvitations, organizationMembers, organizations } from "@plinto/schema/pg";
import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { PgDb } from "./db";
import { organizationFromRow, organizationToRow } from "../organization-rows";
import { isUniqueViolation } from "../errors";
import { pageOf } from "../rows";

const slugTaken = (error: unknown): never => {
  if (isUniqueViolation(error)) throw new PlintoError("organization_slug_taken");
  throw error;
};

/** Organizations on Postgres; creation writes the organization and its first owner in one transaction. */
export function pgOrganizations(db: PgDb): OrganizationRepository {
  const one = (tenantId: string, id: string) => and(eq(organizations.tenantId, tenantId), eq(organizations.id, id));
  return {
    async create(organization, owner) {
      await db
        .transaction(async (tx) => {
          await tx.insert(organizations).values(organizationToRow(organization));
          await tx.insert(organizationMembers).values(owner);
        })
        .catch(slugTaken);
    },
    async get(tenantId, id) {
      const [row] = await db.select().from(organizations).where(one(tenantId, id)).limit(1);
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
      return db.transaction(async (tx) => {
        await tx.delete(organizationMembers).where(memberOf);
        await tx.delete(organizationInvitations).where(invitationOf);
        return (await tx.delete(organizations).where(one(tenantId, id)).returning({ id: organizations.id })).length > 0;
      });
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select({ organization: organizations, role: organizationMembers.role, joinedAt: organizationMembers.createdAt })
        .from(organizationMembers)
        .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.userId, userId)))
        .orderBy(asc(organizationMembers.createdAt), asc(organizations.id))
        ;
      return rows.map((row) => ({ organization: organizationFromRow(row.organization), role: row.role, joinedAt: row.joinedAt }));
    },
    async list({ tenantId, afterId, limit }) {
      const rows = await db
        .select()
        .from(organizations)
        .where(and(eq(organizations.tenantId, tenantId), afterId ? lt(organizations.id, afterId) : undefined))
        .orderBy(desc(organizations.id))
        .limit(limit + 1)
        ;
      return pageOf(rows, limit, organizationFromRow);
    },
  };
}
