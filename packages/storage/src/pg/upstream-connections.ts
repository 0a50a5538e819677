import type { UpstreamConnectionRepository } from "@plinto/core";
import { linkedIdentities, upstreamConnections } from "@plinto/schema/pg";
import { and, asc, eq } from "drizzle-orm";
import type { PgDb } from "./db";
import { connectionSlugTaken, upstreamConnectionFromRow, upstreamConnectionToRow, upstreamConnectionUpdateSet } from "../oauth-rows";
import { uniqueViolationAs } from "../errors";

/** Upstream identity providers on Postgres; deleting one deletes its linked identities in the same transaction. */
export function pgUpstreamConnections(db: PgDb): UpstreamConnectionRepository {
  const inTenant = (tenantId: string) => eq(upstreamConnections.tenantId, tenantId);
  const one = (tenantId: string, id: string) => and(inTenant(tenantId), eq(upstreamConnections.id, id));
  return {
    async insert(connection) {
      await db.insert(upstreamConnections).values(upstreamConnectionToRow(connection)).catch(uniqueViolationAs(connectionSlugTaken));
    },
    async get(tenantId, id) {
      const row = await db.select().from(upstreamConnections).where(one(tenantId, id)).limit(1).then((rows) => rows[0]);
      return row ? upstreamConnectionFromRow(row) : null;
    },
    async getBySlug(tenantId, slug) {
      const row = await db.select().from(upstreamConnections).where(and(inTenant(tenantId), eq(upstreamConnections.slug, slug))).limit(1).then((rows) => rows[0]);
      return row ? upstreamConnectionFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(upstreamConnections).where(inTenant(tenantId)).orderBy(asc(upstreamConnections.id));
      return rows.map(upstreamConnectionFromRow);
    },
    async update(connection) {
      const updated = await db
        .update(upstreamConnections)
        .set(upstreamConnectionUpdateSet(connection))
        .where(one(connection.tenantId, connection.id))
        .returning({ id: upstreamConnections.id })
        .catch(uniqueViolationAs(connectionSlugTaken));
      return updated.length > 0;
    },
    async delete(tenantId, id) {
      const deleted = await db.transaction(async (tx) => {
        await tx.delete(linkedIdentities).where(and(eq(linkedIdentities.tenantId, tenantId), eq(linkedIdentities.connectionId, id)));
        return tx.delete(upstreamConnections).where(one(tenantId, id)).returning({ id: upstreamConnections.id });
      });
      return deleted.length > 0;
    },
  };
}
