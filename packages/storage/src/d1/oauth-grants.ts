import type { OAuthGrantRepository } from "@plinto/core";
import { oauthGrants } from "@plinto/schema/sqlite";
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { grantExists, oauthGrantFromRow, oauthGrantToRow } from "../oauth-rows";
import { uniqueViolationAs } from "./rows";

/** OAuth grants (one per provider session) on D1. */
export function d1OAuthGrants(db: DrizzleD1Database): OAuthGrantRepository {
  const inTenant = (tenantId: string) => eq(oauthGrants.tenantId, tenantId);
  const listWhere = async (where: SQL | undefined) => {
    const rows = await db.select().from(oauthGrants).where(where).orderBy(asc(oauthGrants.createdAt), asc(oauthGrants.sessionId)).all();
    return rows.map(oauthGrantFromRow);
  };
  return {
    async insert(grant) {
      await db.insert(oauthGrants).values(oauthGrantToRow(grant)).catch(uniqueViolationAs(grantExists));
    },
    async get(tenantId, sessionId) {
      const row = await db.select().from(oauthGrants).where(and(inTenant(tenantId), eq(oauthGrants.sessionId, sessionId))).get();
      return row ? oauthGrantFromRow(row) : null;
    },
    listForLoginSession: (tenantId, loginSessionId) => listWhere(and(inTenant(tenantId), eq(oauthGrants.loginSessionId, loginSessionId))),
    listForUser: (tenantId, userId) => listWhere(and(inTenant(tenantId), eq(oauthGrants.userId, userId))),
    listForClient: (tenantId, clientId) => listWhere(and(inTenant(tenantId), eq(oauthGrants.clientId, clientId))),
    async delete(tenantId, sessionId) {
      await db.delete(oauthGrants).where(and(inTenant(tenantId), eq(oauthGrants.sessionId, sessionId)));
    },
    async deleteForUser(tenantId, userId) {
      await db.delete(oauthGrants).where(and(inTenant(tenantId), eq(oauthGrants.userId, userId)));
    },
  };
}
