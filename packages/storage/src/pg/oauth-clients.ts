import type { OAuthClientRepository } from "@plinto/core";
import { oauthClients, oauthConsents, oauthGrants } from "@plinto/schema/pg";
import { and, asc, eq } from "drizzle-orm";
import type { PgDb } from "./db";
import { clientExists, oauthClientFromRow, oauthClientToRow, oauthClientUpdateSet } from "../oauth-rows";
import { uniqueViolationAs } from "../errors";

/** OAuth clients on Postgres; deleting a client deletes its grants and consents in the same transaction. */
export function pgOAuthClients(db: PgDb): OAuthClientRepository {
  const one = (tenantId: string, id: string) => and(eq(oauthClients.tenantId, tenantId), eq(oauthClients.id, id));
  return {
    async insert(client) {
      await db.insert(oauthClients).values(oauthClientToRow(client)).catch(uniqueViolationAs(clientExists));
    },
    async get(tenantId, clientId) {
      const row = await db.select().from(oauthClients).where(one(tenantId, clientId)).limit(1).then((rows) => rows[0]);
      return row ? oauthClientFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(oauthClients).where(eq(oauthClients.tenantId, tenantId)).orderBy(asc(oauthClients.id));
      return rows.map(oauthClientFromRow);
    },
    async update(client) {
      const updated = await db
        .update(oauthClients)
        .set(oauthClientUpdateSet(client))
        .where(one(client.tenantId, client.id))
        .returning({ id: oauthClients.id });
      return updated.length > 0;
    },
    async delete(tenantId, clientId) {
      const deleted = await db.transaction(async (tx) => {
        await tx.delete(oauthGrants).where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.clientId, clientId)));
        await tx.delete(oauthConsents).where(and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.clientId, clientId)));
        return tx.delete(oauthClients).where(one(tenantId, clientId)).returning({ id: oauthClients.id });
      });
      return deleted.length > 0;
    },
  };
}
