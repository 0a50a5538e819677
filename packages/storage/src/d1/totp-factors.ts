import type { TotpFactor, TotpFactorRepository } from "@plinto/core";
import { recoveryCodes, totpFactors } from "@plinto/schema/sqlite";
import { and, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";

const ofUser = (tenantId: string, userId: string) => and(eq(totpFactors.tenantId, tenantId), eq(totpFactors.userId, userId));

/** TOTP factors on D1. Activation and replay checks are single conditional statements, so racing requests cannot both win. */
export function d1TotpFactors(db: DrizzleD1Database): TotpFactorRepository {
  return {
    async getForUser(tenantId, userId) {
      return (await db.select().from(totpFactors).where(ofUser(tenantId, userId)).get()) ?? null;
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
      // The recovery-code statements run only when this batch's UPDATE made the factor active at `now`.
      const activatedHere = sql`EXISTS (SELECT 1 FROM totp_factors WHERE id = ${factor.id} AND status = 'active' AND activated_at = ${now} AND last_used_step = ${step})`;
      const values = sql.join(
        hashes.map((hash) => sql`(${hash})`),
        sql`, `,
      );
      const [activated] = await db.batch([
        db
          .update(totpFactors)
          .set({ status: "active", activatedAt: now, lastUsedStep: step })
          .where(and(eq(totpFactors.id, factor.id), eq(totpFactors.tenantId, factor.tenantId), eq(totpFactors.status, "pending")))
          .returning({ id: totpFactors.id }),
        db
          .delete(recoveryCodes)
          .where(and(eq(recoveryCodes.tenantId, factor.tenantId), eq(recoveryCodes.userId, factor.userId), activatedHere)),
        // Columns in table order: code_hash, tenant_id, user_id, created_at.
        db
          .insert(recoveryCodes)
          .select(sql`SELECT column1, ${factor.tenantId}, ${factor.userId}, ${now} FROM (VALUES ${values}) WHERE ${activatedHere}`),
      ]);
      return activated.length > 0;
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
