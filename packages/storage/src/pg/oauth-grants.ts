import type { OAuthGrantRepository } from "@plinto/core";
import { oauthGrants } from "@plinto/schema/pg";
import { and, asc, eq, type SQL } from "drizzle-orm";
import type { PgDb } from "./db";
import { grantExists, oauthGrantFromRow, oauthGrantToRow } from "../oauth-rows";
import { uniqueViolationAs } from "../errors";

/** OAuth grants (one per provider session) on Postgres. */
export function pgOAuthGrants(db: PgDb): OAuthGrantRepository {
  const inTenant = (tenantId: string) => eq(oauthGrants.tenantId, tenantId);
  const listWhere = async (where: SQL | undefined) => {
    const rows = await db.select().from(oauthGrants).where(where).orderBy(asc(oauthGrants.createdAt), asc(oauthGrants.sessionId));
    return rows.map(oauthGrantFromRow);
  };
  return {
    async insert(grant) {
      await db.insert(oauthGrants).values(oauthGrantToRow(grant)).catch(uniqueViolationAs(grantExists));
    },
    async get(tenantId, sessionId) {
      const row = await db.select().from(oauthGrants).where(and(inTenant(tenantId), eq(oauthGrants.sessionId, sessionId))).limit(1).then((rows) => rows[0]);
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
