import type { RecoveryCodeRepository } from "@plinto/core";
import { recoveryCodes } from "@plinto/schema/pg";
import { and, count, eq } from "drizzle-orm";
import type { PgDb } from "./db";

const ofUser = (tenantId: string, userId: string) => and(eq(recoveryCodes.tenantId, tenantId), eq(recoveryCodes.userId, userId));

/** Replaces a user's recovery codes inside a transaction the caller holds (also used by TOTP activation). */
export async function replaceRecoveryCodes(
  tx: Pick<PgDb, "delete" | "insert">,
  tenantId: string,
  userId: string,
  codeHashes: string[],
  now: number,
): Promise<void> {
  await tx.delete(recoveryCodes).where(ofUser(tenantId, userId));
  if (codeHashes.length === 0) return;
  await tx.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ codeHash, tenantId, userId, createdAt: now })));
}

/** Recovery codes on Postgres: digests only; a code is spent by one conditional `DELETE ... RETURNING`. */
export function pgRecoveryCodes(db: PgDb): RecoveryCodeRepository {
  return {
    async replaceAll(tenantId, userId, codeHashes, now) {
      await db.transaction((tx) => replaceRecoveryCodes(tx, tenantId, userId, codeHashes, now));
    },
    async consume(tenantId, userId, codeHash) {
      const spent = await db
        .delete(recoveryCodes)
        .where(and(ofUser(tenantId, userId), eq(recoveryCodes.codeHash, codeHash)))
        .returning({ codeHash: recoveryCodes.codeHash });
      return spent.length > 0;
    },
    async count(tenantId, userId) {
      const [row] = await db.select({ n: count() }).from(recoveryCodes).where(ofUser(tenantId, userId));
      return row?.n ?? 0;
    },
    async deleteAll(tenantId, userId) {
      await db.delete(recoveryCodes).where(ofUser(tenantId, userId));
    },
  };
}
