import type { SigningKeyRepository } from "@plinto/core";
import { signingKeys, tenants } from "@plinto/schema/pg";
import { and, desc, eq, gt, ne, or } from "drizzle-orm";
import { signingKeyFromRow, signingKeyToRow } from "../rows";
import type { PgDb } from "./db";

export function pgSigningKeys(db: PgDb): SigningKeyRepository {
  const ofTenant = (tenantId: string) => eq(signingKeys.tenantId, tenantId);
  const newestFirst = desc(signingKeys.createdAt);
  return {
    async insert(key) {
      await db.insert(signingKeys).values(signingKeyToRow(key));
    },
    async getActive(tenantId) {
      const [row] = await db
        .select()
        .from(signingKeys)
        .where(and(ofTenant(tenantId), eq(signingKeys.status, "active")))
        .orderBy(newestFirst)
        .limit(1);
      return row ? signingKeyFromRow(row) : null;
    },
    async getByKid(tenantId, kid) {
      const [row] = await db.select().from(signingKeys).where(and(ofTenant(tenantId), eq(signingKeys.id, kid))).limit(1);
      return row ? signingKeyFromRow(row) : null;
    },
    async listPublished(tenantId, now) {
      const published = or(
        eq(signingKeys.status, "active"),
        and(eq(signingKeys.status, "retired"), gt(signingKeys.publishUntil, now)),
      );
      const rows = await db.select().from(signingKeys).where(and(ofTenant(tenantId), published)).orderBy(newestFirst);
      return rows.map(signingKeyFromRow);
    },
    async listAll(tenantId) {
      const rows = await db.select().from(signingKeys).where(ofTenant(tenantId)).orderBy(newestFirst);
      return rows.map(signingKeyFromRow);
    },
    async rotate(retire, next) {
      // One transaction: never two active keys, never none. Every active key but the new one is
      // retired, not only `retire.kid`: a concurrent rotation may have added one since it was read.
      // Rotations of one tenant queue on its row lock, so each sees the key the one before inserted
      // (READ COMMITTED alone would let two run side by side and both leave their key active).
      await db.transaction(async (tx) => {
        await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, next.tenantId)).for("update");
        if (retire) {
          await tx
            .update(signingKeys)
            .set({ status: "retired", retiredAt: retire.retiredAt, publishUntil: retire.publishUntil })
            .where(and(ofTenant(next.tenantId), eq(signingKeys.status, "active"), ne(signingKeys.id, next.kid)));
        }
        await tx.insert(signingKeys).values(signingKeyToRow(next));
      });
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
