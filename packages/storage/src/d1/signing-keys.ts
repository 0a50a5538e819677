import type { SigningKeyRepository } from "@plinto/core";
import { and, desc, eq, gt, ne, or } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { signingKeys } from "@plinto/schema/sqlite";
import { signingKeyFromRow, signingKeyToRow } from "./rows";

export function d1SigningKeys(db: DrizzleD1Database): SigningKeyRepository {
  const ofTenant = (tenantId: string) => eq(signingKeys.tenantId, tenantId);
  return {
    async insert(key) {
      await db.insert(signingKeys).values(signingKeyToRow(key));
    },
    async getActive(tenantId) {
      const row = await db
        .select()
        .from(signingKeys)
        .where(and(ofTenant(tenantId), eq(signingKeys.status, "active")))
        .orderBy(desc(signingKeys.createdAt))
        .get();
      return row ? signingKeyFromRow(row) : null;
    },
    async getByKid(tenantId, kid) {
      const row = await db.select().from(signingKeys).where(and(ofTenant(tenantId), eq(signingKeys.id, kid))).get();
      return row ? signingKeyFromRow(row) : null;
    },
    async listPublished(tenantId, now) {
      const rows = await db
        .select()
        .from(signingKeys)
        .where(
          and(
            ofTenant(tenantId),
            or(eq(signingKeys.status, "active"), and(eq(signingKeys.status, "retired"), gt(signingKeys.publishUntil, now))),
          ),
        )
        .orderBy(desc(signingKeys.createdAt))
        .all();
      return rows.map(signingKeyFromRow);
    },
    async listAll(tenantId) {
      const rows = await db.select().from(signingKeys).where(ofTenant(tenantId)).orderBy(desc(signingKeys.createdAt)).all();
      return rows.map(signingKeyFromRow);
    },
    async rotate(retire, next) {
      const insert = db.insert(signingKeys).values(signingKeyToRow(next));
      if (!retire) {
        await insert;
        return;
      }
      // One D1 batch is one transaction: never two active keys, never none. Every active key but the
      // new one is retired, not only `retire.kid`: a concurrent rotation may have added one since it was read.
      await db.batch([
        db
          .update(signingKeys)
          .set({ status: "retired", retiredAt: retire.retiredAt, publishUntil: retire.publishUntil })
          .where(and(ofTenant(next.tenantId), eq(signingKeys.status, "active"), ne(signingKeys.id, next.kid))),
        insert,
      ]);
    },
    async revoke(tenantId, kid, at) {
      const revoked = await db
        .update(signingKeys)
        .set({ status: "revoked", retiredAt: at, publishUntil: at })
        .where(and(ofTenant(tenantId), eq(signingKeys.id, kid)))
        .returning({ id: signingKeys.id });
      return revoked.length > 0;
    },
  };
}
