import { type MembershipChange, type MembershipRepository, PlintoError } from "@plinto/core";
import { organizationMembers, users } from "@plinto/schema/sqlite";
import { and, asc, count, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { isOwner, keepsAnOwner, soleOwner } from "../membership-sql";
import { isUniqueViolation } from "./rows";

/**
 * Memberships on D1. D1 runs one statement at a time, so the last-owner guard
 * inside each UPDATE/DELETE cannot be raced.
 */
export function d1Memberships(db: DrizzleD1Database): MembershipRepository {
  const one = (tenantId: string, organizationId: string, userId: string) =>
    and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId));
  const explain = async (tenantId: string, organizationId: string, userId: string): Promise<MembershipChange> =>
    (await db.select({ role: organizationMembers.role }).from(organizationMembers).where(one(tenantId, organizationId, userId)).get())
      ? "last_owner"
      : "not_found";
  return {
    async get(tenantId, organizationId, userId) {
      return (await db.select().from(organizationMembers).where(one(tenantId, organizationId, userId)).get()) ?? null;
    },
    async list(tenantId, organizationId) {
      const rows = await db
        .select({ membership: organizationMembers, email: users.email, name: users.name })
        .from(organizationMembers)
        .innerJoin(users, eq(users.id, organizationMembers.userId))
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.organizationId, organizationId)))
        .orderBy(asc(organizationMembers.createdAt), asc(organizationMembers.userId))
        .all();
      return rows.map((row) => ({ ...row.membership, email: row.email, name: row.name }));
    },
    async add(membership) {
      await db
        .insert(organizationMembers)
        .values(membership)
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new PlintoError("already_member");
          throw error;
        });
    },
    async changeRole(tenantId, organizationId, userId, role, at) {
      const changed = await db
        .update(organizationMembers)
        .set({ role, updatedAt: at })
        .where(and(one(tenantId, organizationId, userId), keepsAnOwner(organizationId, role)))
        .returning({ userId: organizationMembers.userId });
      return changed.length > 0 ? "done" : explain(tenantId, organizationId, userId);
    },
    async remove(tenantId, organizationId, userId) {
      const removed = await db
        .delete(organizationMembers)
        .where(and(one(tenantId, organizationId, userId), keepsAnOwner(organizationId, null)))
        .returning({ userId: organizationMembers.userId });
      return removed.length > 0 ? "done" : explain(tenantId, organizationId, userId);
    },
    async transferOwnership(tenantId, organizationId, fromUserId, toUserId, at) {
      const [promoted] = await db.batch([
        db
          .update(organizationMembers)
          .set({ role: "owner", updatedAt: at })
          .where(and(one(tenantId, organizationId, toUserId), isOwner(organizationId, fromUserId)))
          .returning({ userId: organizationMembers.userId }),
        db
          .update(organizationMembers)
          .set({ role: "admin", updatedAt: at })
          .where(and(one(tenantId, organizationId, fromUserId), eq(organizationMembers.role, "owner"), isOwner(organizationId, toUserId))),
      ]);
      return promoted.length > 0;
    },
    async countWithRole(tenantId, role) {
      const [row] = await db
        .select({ n: count() })
        .from(organizationMembers)
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.role, role)));
      return row?.n ?? 0;
    },
    async soleOwnerOf(tenantId, userId) {
      const rows = await db
        .select({ organizationId: organizationMembers.organizationId })
        .from(organizationMembers)
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.userId, userId), eq(organizationMembers.role, "owner"), soleOwner()));
      return rows.map((row) => row.organizationId);
    },
  };
}
