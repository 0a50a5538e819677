import { type InvitationRepository, PlintoError } from "@plinto/core";
import { organizationInvitations, organizationMembers, organizations } from "@plinto/schema/pg";
import { and, desc, eq, gt } from "drizzle-orm";
import type { PgDb } from "./db";
import { invitationFromRow } from "../organization-rows";
import { isUniqueViolation } from "../errors";

export function pgInvitations(db: PgDb): InvitationRepository {
  const one = (tenantId: string, id: string) => and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.id, id));
  return {
    async insert(invitation) {
      await db.insert(organizationInvitations).values(invitation);
    },
    async get(tenantId, id) {
      const [row] = await db.select().from(organizationInvitations).where(one(tenantId, id)).limit(1);
      return row ? invitationFromRow(row) : null;
    },
    async getByTokenHash(tenantId, tokenHash) {
      const [row] = await db
        .select()
        .from(organizationInvitations)
        .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.tokenHash, tokenHash)))
        .limit(1);
      return row ? invitationFromRow(row) : null;
    },
    async listPending(tenantId, organizationId, now) {
      const rows = await db
        .select()
        .from(organizationInvitations)
        .where(
          and(
            eq(organizationInvitations.tenantId, tenantId),
            eq(organizationInvitations.organizationId, organizationId),
            eq(organizationInvitations.status, "pending"),
            gt(organizationInvitations.expiresAt, now),
          ),
        )
        .orderBy(desc(organizationInvitations.id))
        ;
      return rows.map(invitationFromRow);
    },
    async accept(tenantId, id, membership) {
      await db
        .transaction(async (tx) => {
          await tx.insert(organizationMembers).values(membership);
          await tx
            .update(organizationInvitations)
            .set({ status: "accepted", respondedAt: membership.createdAt })
            .where(and(one(tenantId, id), eq(organizationInvitations.status, "pending")));
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new PlintoError("already_member");
          throw error;
        });
    },
    async revoke(tenantId, id, at) {
      const revoked = await db
        .update(organizationInvitations)
        .set({ status: "revoked", respondedAt: at })
        .where(and(one(tenantId, id), eq(organizationInvitations.status, "pending")))
        .returning({ id: organizationInvitations.id });
      return revoked.length > 0;
    },
    async delete(tenantId, id) {
      await db.delete(organizationInvitations).where(one(tenantId, id));
    },
    async listPendingForEmail(tenantId, emailNormalized, now) {
      const rows = await db
        .select({ invitation: organizationInvitations, organizationName: organizations.name })
        .from(organizationInvitations)
        .innerJoin(organizations, eq(organizations.id, organizationInvitations.organizationId))
        .where(
          and(
            eq(organizationInvitations.tenantId, tenantId),
            eq(organizationInvitations.emailNormalized, emailNormalized),
            eq(organizationInvitations.status, "pending"),
            gt(organizationInvitations.expiresAt, now),
          ),
        )
        .orderBy(desc(organizationInvitations.id));
      return rows.map((row) => ({ ...invitationFromRow(row.invitation), organizationName: row.organizationName }));
    },
    async eraseForUser(tenantId, user, pseudonym) {
      return db.transaction(async (tx) => {
        const deleted = await tx
          .delete(organizationInvitations)
          .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.emailNormalized, user.emailNormalized)))
          .returning({ id: organizationInvitations.id });
        const pseudonymised = await tx
          .update(organizationInvitations)
          .set({ invitedBy: pseudonym })
          .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.invitedBy, user.id)))
          .returning({ id: organizationInvitations.id });
        return { deleted: deleted.length, pseudonymised: pseudonymised.length };
      });
    },
  };
}
