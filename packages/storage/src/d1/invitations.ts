import { type InvitationRepository, PlintoError } from "@plinto/core";
import { organizationInvitations, organizationMembers, organizations } from "@plinto/schema/sqlite";
import { and, desc, eq, gt } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { invitationFromRow } from "../organization-rows";
import { isUniqueViolation } from "./rows";

export function d1Invitations(db: DrizzleD1Database): InvitationRepository {
  const one = (tenantId: string, id: string) => and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.id, id));
  return {
    async insert(invitation) {
      await db.insert(organizationInvitations).values(invitation);
    },
    async get(tenantId, id) {
      const row = await db.select().from(organizationInvitations).where(one(tenantId, id)).get();
      return row ? invitationFromRow(row) : null;
    },
    async getByTokenHash(tenantId, tokenHash) {
      const row = await db
        .select()
        .from(organizationInvitations)
        .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.tokenHash, tokenHash)))
        .get();
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
        .all();
      return rows.map(invitationFromRow);
    },
    async accept(tenantId, id, membership) {
      await db
        .batch([
          db.insert(organizationMembers).values(membership),
          db
            .update(organizationInvitations)
            .set({ status: "accepted", respondedAt: membership.createdAt })
            .where(and(one(tenantId, id), eq(organizationInvitations.status, "pending"))),
        ])
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
      const [deleted, pseudonymised] = await db.batch([
        db
          .delete(organizationInvitations)
          .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.emailNormalized, user.emailNormalized)))
          .returning({ id: organizationInvitations.id }),
        db
          .update(organizationInvitations)
          .set({ invitedBy: pseudonym })
          .where(and(eq(organizationInvitations.tenantId, tenantId), eq(organizationInvitations.invitedBy, user.id)))
          .returning({ id: organizationInvitations.id }),
      ]);
      return { deleted: deleted.length, pseudonymised: pseudonymised.length };
    },
  };
}
