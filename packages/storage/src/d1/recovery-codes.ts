import type { RecoveryCodeRepository } from "@plinto/core";
import { recoveryCodes } from "@plinto/schema/sqlite";
import { and, count, eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";

const ofUser = (tenantId: string, userId: string) => and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.userId, userId));

/** Recovery codes on D1: digests only; a code is spent by one conditional `DELETE ... RETURNING`. */
export function d1RecoveryCodes(db: DrizzleD1Database): RecoveryCodeRepository {
  return {
    async replaceAll(tenantId, userId, codeHashes, now) {
      const remove = db.delete(recoveryCodes).where(ofUser(tenantId, userId));
      if (codeHashes.length === 0) {
        await remove;
        return;
      }
      const rows = codeHashes.map((codeHash) => ({ codeHash, tenantId, userId, createdAt: now }));
      await db.batch([remove, db.insert(recoveryCodes).values(rows)]);
    },
    async consume(tenantId, userId, codeHash) {
      const spent = await db
        .delete(recoveryCodes)
        .where(and(ofUser(tenantId, userId), eq(recoveryCodes.codeHash, codeHash)))
        .returning({ codeHash: recoveryCodes.codeHash });
      return spent.length > 0;
    },
    async count(tenantId, userId) {
      const row = await db.select({ n: count() }).from(recoveryCodes).where(ofUser(tenantId, userId)).get();
      return row?.n ?? 0;
    },
    async deleteAll(tenantId, userId) {
      await db.delete(recoveryCodes).where(ofUser(tenantId, userId));
    },
  };
}
