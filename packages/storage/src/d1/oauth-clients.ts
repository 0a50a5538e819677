import type { OAuthClientRepository } from "@plinto/core";
import { oauthClients, oauthConsents, oauthGrants } from "@plinto/schema/sqlite";
import { and, asc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { clientExists, oauthClientFromRow, oauthClientToRow, oauthClientUpdateSet } from "../oauth-rows";
import { uniqueViolationAs } from "./rows";

/** OAuth clients on D1; deleting a client deletes its grants and consents in the same batch. */
export function d1OAuthClients(db: DrizzleD1Database): OAuthClientRepository {
  const one = (tenantId: string, id: string) => and(eq(oauthClients.tenantId, tenantId), eq(oauthClients.id, id));
  return {
    async insert(client) {
      await db.insert(oauthClients).values(oauthClientToRow(client)).catch(uniqueViolationAs(clientExists));
    },
    async get(tenantId, clientId) {
      const row = await db.select().from(oauthClients).where(one(tenantId, clientId)).get();
      return row ? oauthClientFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(oauthClients).where(eq(oauthClients.tenantId, tenantId)).orderBy(asc(oauthClients.id)).all();
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
      const [, , deleted] = await db.batch([
        db.delete(oauthGrants).where(and(eq(oauthGrants.tenantId, tenantId), eq(oauthGrants.clientId, clientId))),
        db.delete(oauthConsents).where(and(eq(oauthConsents.tenantId, tenantId), eq(oauthConsents.clientId, clientId))),
        db.delete(oauthClients).where(one(tenantId, clientId)).returning({ id: oauthClients.id }),
      ]);
      return deleted.length > 0;
    },
  };
}
