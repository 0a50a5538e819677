import type { LinkedIdentityRepository } from "@plinto/core";
import { linkedIdentities } from "@plinto/schema/sqlite";
import { and, asc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { identityAlreadyLinked, linkedIdentityFromRow, linkedIdentityToRow } from "../oauth-rows";
import { uniqueViolationAs } from "./rows";

/** Users' accounts at upstream providers on D1; (tenant, connection, subject) is unique. */
export function d1LinkedIdentities(db: DrizzleD1Database): LinkedIdentityRepository {
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
        .get();
      return row ? linkedIdentityFromRow(row) : null;
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select()
        .from(linkedIdentities)
        .where(and(inTenant(tenantId), eq(linkedIdentities.userId, userId)))
        .orderBy(asc(linkedIdentities.id))
        .all();
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
