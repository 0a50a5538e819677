import type { UpstreamConnectionRepository } from "@plinto/core";
import { linkedIdentities, upstreamConnections } from "@plinto/schema/sqlite";
import { and, asc, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { connectionSlugTaken, upstreamConnectionFromRow, upstreamConnectionToRow, upstreamConnectionUpdateSet } from "../oauth-rows";
import { uniqueViolationAs } from "./rows";

/** Upstream identity providers on D1; deleting one deletes its linked identities in the same batch. */
export function d1UpstreamConnections(db: DrizzleD1Database): UpstreamConnectionRepository {
  const inTenant = (tenantId: string) => eq(upstreamConnections.tenantId, tenantId);
  const one = (tenantId: string, id: string) => and(inTenant(tenantId), eq(upstreamConnections.id, id));
  return {
    async insert(connection) {
      await db.insert(upstreamConnections).values(upstreamConnectionToRow(connection)).catch(uniqueViolationAs(connectionSlugTaken));
    },
    async get(tenantId, id) {
      const row = await db.select().from(upstreamConnections).where(one(tenantId, id)).get();
      return row ? upstreamConnectionFromRow(row) : null;
    },
    async getBySlug(tenantId, slug) {
      const row = await db.select().from(upstreamConnections).where(and(inTenant(tenantId), eq(upstreamConnections.slug, slug))).get();
      return row ? upstreamConnectionFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(upstreamConnections).where(inTenant(tenantId)).orderBy(asc(upstreamConnections.id)).all();
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
      const [, deleted] = await db.batch([
        db.delete(linkedIdentities).where(and(eq(linkedIdentities.tenantId, tenantId), eq(linkedIdentities.connectionId, id))),
        db.delete(upstreamConnections).where(one(tenantId, id)).returning({ id: upstreamConnections.id }),
      ]);
      return deleted.length > 0;
    },
  };
}
