import { type MembershipChange, type MembershipRepository, PlintoError } from "@plinto/core";
import { organizationMembers, users } from "@plinto/schema/pg";
import { and, asc, count, eq } from "drizzle-orm";
import type { PgDb } from "./db";
import { isOwner, keepsAnOwner, soleOwner } from "../membership-sql";
import { isUniqueViolation } from "../errors";

/**
 * Memberships on Postgres. Under READ COMMITTED two transactions could each
 * see the other owner still there, so a change that may remove an owner first
 * locks the organization's owner rows (`FOR UPDATE`); the guarded statement
 * after the lock sees every committed change.
 */
type Tx = Parameters<Parameters<PgDb["transaction"]>[0]>[0];

/** Serialises owner-changing transactions of one organization. */
async function lockOwners(tx: Tx, organizationId: string): Promise<void> {
  await tx
    .select({ userId: organizationMembers.userId })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.role, "owner")))
    .for("update");
}

export function pgMemberships(db: PgDb): MembershipRepository {
  const one = (tenantId: string, organizationId: string, userId: string) =>
    and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.userId, userId));
  const explain = async (tenantId: string, organizationId: string, userId: string): Promise<MembershipChange> =>
    (await db.select({ role: organizationMembers.role }).from(organizationMembers).where(one(tenantId, organizationId, userId)).limit(1))[0]
      ? "last_owner"
      : "not_found";
  return {
    async get(tenantId, organizationId, userId) {
      const [row] = await db.select().from(organizationMembers).where(one(tenantId, organizationId, userId)).limit(1);
      return row ?? null;
    },
    async list(tenantId, organizationId) {
      const rows = await db
        .select({ membership: organizationMembers, email: users.email, name: users.name })
        .from(organizationMembers)
        .innerJoin(users, eq(users.id, organizationMembers.userId))
        .where(and(eq(organizationMembers.tenantId, tenantId), eq(organizationMembers.organizationId, organizationId)))
        .orderBy(asc(organizationMembers.createdAt), asc(organizationMembers.userId))
        ;
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
      const changed = await db.transaction(async (tx) => {
        await lockOwners(tx, organizationId);
        return tx
          .update(organizationMembers)
          .set({ role, updatedAt: at })
          .where(and(one(tenantId, organizationId, userId), keepsAnOwner(organizationId, role)))
          .returning({ userId: organizationMembers.userId });
      });
      return changed.length > 0 ? "done" : explain(tenantId, organizationId, userId);
    },
    async remove(tenantId, organizationId, userId) {
      const removed = await db.transaction(async (tx) => {
        await lockOwners(tx, organizationId);
        return tx
          .delete(organizationMembers)
          .where(and(one(tenantId, organizationId, userId), keepsAnOwner(organizationId, null)))
          .returning({ userId: organizationMembers.userId });
      });
      return removed.length > 0 ? "done" : explain(tenantId, organizationId, userId);
    },
    async transferOwnership(tenantId, organizationId, fromUserId, toUserId, at) {
      return db.transaction(async (tx) => {
        await lockOwners(tx, organizationId);
        const promoted = await tx
          .update(organizationMembers)
          .set({ role: "owner", updatedAt: at })
          .where(and(one(tenantId, organizationId, toUserId), isOwner(organizationId, fromUserId)))
          .returning({ userId: organizationMembers.userId });
        await tx
          .update(organizationMembers)
          .set({ role: "admin", updatedAt: at })
          .where(and(one(tenantId, organizationId, fromUserId), eq(organizationMembers.role, "owner"), isOwner(organizationId, toUserId)));
        return promoted.length > 0;
      });
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
