import type { TotpFactor, TotpFactorRepository } from "@plinto/core";
import { totpFactors } from "@plinto/schema/pg";
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { PgDb } from "./db";
import { replaceRecoveryCodes } from "./recovery-codes";

const ofUser = (tenantId: string, userId: string) => and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.userId, userId));

/** TOTP factors on Postgres. Activation and replay checks are conditional statements, so racing requests cannot both win. */
export function pgTotpFactors(db: PgDb): TotpFactorRepository {
  return {
    async getForUser(tenantId, userId) {
      const [row] = await db.select().from(totpFactors).where(ofUser(tenantId, userId)).limit(1);
      return row ?? null;
    },
    async putPending(factor) {
      // One row per user (unique index): a pending row is replaced, an active one is left alone.
      const written = await db
        .insert(totpFactors)
        .values(factor)
        .onConflictDoUpdate({
          target: [totpFactors.tenantId, totpFactors.userId],
          set: { id: factor.id, secretEncrypted: factor.secretEncrypted, createdAt: factor.createdAt, lastUsedStep: null },
          setWhere: eq(totpFactors.status, "pending"),
        })
        .returning({ id: totpFactors.id });
      return written.length > 0;
    },
    async activate(factor, step, now, hashes) {
      // The recovery codes change only when this transaction's UPDATE made the factor active.
      return db.transaction(async (tx) => {
        const activated = await tx
          .update(totpFactors)
          .set({ status: "active", activatedAt: now, lastUsedStep: step })
          .where(and(eq(totpFactors.id, factor.id), eq(totpFactors.tenantId, factor.tenantId), eq(totpFactors.status, "pending")))
          .returning({ id: totpFactors.id });
        if (activated.length === 0) return false;
        await replaceRecoveryCodes(tx, factor.tenantId, factor.userId, hashes, now);
        return true;
      });
    },
    async useStep(tenantId, factorId, step) {
      // RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the OTP after the successful validation".
      const used = await db
        .update(totpFactors)
        .set({ lastUsedStep: step })
        .where(
          and(
            eq(totpFactors.id, factorId),
            eq(totpFactors.tenantId, tenantId),
            eq(totpFactors.status, "active"),
            or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step)),
          ),
        )
        .returning({ id: totpFactors.id });
      return used.length > 0;
    },
    async delete(tenantId, userId) {
      const [row] = await db.delete(totpFactors).where(ofUser(tenantId, userId)).returning();
      return row ? (row satisfies TotpFactor) : null;
    },
  };
}
