import type { OAuthConsentRepository } from "@plinto/core";
import { oauthConsents } from "@plinto/schema/sqlite";
import { and, asc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { oauthConsentFromRow, oauthConsentToRow } from "../oauth-rows";

/** Remembered consent on D1: one row per (tenant, user, client), replaced whole by `put`. */
export function d1OAuthConsents(db: DrizzleD1Database): OAuthConsentRepository {
  const one = (tenantId: string, userId: string, clientId: string) =>
    and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.userId, userId), eq(oauthConsents.clientId, clientId));
  return {
    async get(tenantId, userId, clientId) {
      const row = await db.select().from(oauthConsents).where(one(tenantId, userId, clientId)).get();
      return row ? oauthConsentFromRow(row) : null;
    },
    async put(consent) {
      const row = oauthConsentToRow(consent);
      await db
        .insert(oauthConsents)
        .values(row)
        .onConflictDoUpdate({
          target: [oauthConsents.tenantId, oauthConsents.userId, oauthConsents.clientId],
          set: { scopes: row.scopes, updatedAt: row.updatedAt },
        });
    },
    async listForUser(tenantId, userId) {
      const rows = await db
        .select()
        .from(oauthConsents)
        .where(and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.userId, userId)))
        .orderBy(asc(oauthConsents.createdAt), asc(oauthConsents.clientId))
        .all();
      return rows.map(oauthConsentFromRow);
    },
    async delete(tenantId, userId, clientId) {
      const deleted = await db.delete(oauthConsents).where(one(tenantId, userId, clientId)).returning({ clientId: oauthConsents.clientId });
      return deleted.length > 0;
    },
    async deleteForUser(tenantId, userId) {
      await db.delete(oauthConsents).where(and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.userId, userId)));
    },
    async deleteForClient(tenantId, clientId) {
      await db.delete(oauthConsents).where(and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.clientId, clientId)));
    },
  };
}
