import type { LinkedIdentityRepository } from "@plinto/core";
import { linkedIdentities } from "@plinto/schema/pg";
import { and, asc, eq } from "drizzle-orm";
import type { PgDb } from "./db";
import { identityAlreadyLinked, linkedIdentityFromRow, linkedIdentityToRow } from "../oauth-rows";
import { uniqueViolationAs } from "../errors";

/** Users' accounts at upstream providers on Postgres; (tenant, connection, subject) is unique. */
export function pgLinkedIdentities(db: PgDb): LinkedIdentityRepository {
  const inTenant = (tenantId: string) => eq(linkedIdentities.tenantId, tenantId);
  return {
    async insert(identity) {
      await db.insert(linkedIdentities).values(linkedIdentityToRow(identity)).catch(uniqueViolationAs(identityAlreadyLinked));
    },
    async getBySubject(tenantId, connectionId, subject) {
      const row = await db
        .select()
        .from(linkedIdentities)
        .where(and(inTenant(tenantId), eq(linkedIdentities.connectionId, connectionId), eq(linkedIdentities.subject, subject)))
        .limit(1)
        .then((rows) => rows[0]);
      return row ? linkedIdentityFromRow(row) : null;
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select()
        .from(linkedIdentities)
        .where(and(inTenant(tenantId), eq(linkedIdentities.userId, userId)))
        .orderBy(asc(linkedIdentities.id));
      return rows.map(linkedIdentityFromRow);
    },
    async touch(tenantId, id, at, profile) {
      await db
        .update(linkedIdentities)
        .set({ lastSignInAt: at, profile: JSON.stringify(profile) })
        .where(and(inTenant(tenantId), eq(linkedIdentities.id, id)));
    },
    async delete(tenantId, id) {
      const deleted = await db
        .delete(linkedIdentities)
        .where(and(inTenant(tenantId), eq(linkedIdentities.id, id)))
        .returning({ id: linkedIdentities.id });
      return deleted.length > 0;
    },
    async deleteForUser(tenantId, userId) {
      await db.delete(linkedIdentities).where(and(inTenant(tenantId), eq(linkedIdentities.userId, userId)));
    },
    async deleteForConnection(tenantId, connectionId) {
      await db.delete(linkedIdentities).where(and(inTenant(tenantId), eq(linkedIdentities.connectionId, connectionId)));
    },
  };
}
