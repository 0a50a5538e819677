import type { OneTimePurpose, OneTimeToken, OneTimeTokenRepository } from "@plinto/core";
import { oneTimeTokens } from "@plinto/schema/sqlite";
import { and, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";

type Row = typeof oneTimeTokens.$inferSelect;

const fromRow = (row: Row): OneTimeToken => ({
  ...row,
  purpose: row.purpose as OneTimePurpose,
  data: JSON.parse(row.data) as Record<string, unknown>,
});

/** One-time tokens on D1: every redemption is one conditional statement, so concurrent callers cannot both win. */
export function d1OneTimeTokens(db: DrizzleD1Database): OneTimeTokenRepository {
  const live = (tenantId: string, purpose: OneTimePurpose, id: string, now: number) =>
    and(
      eq(oneTimeTokens.id, id),
      eq(oneTimeTokens.tenantId, tenantId),
      eq(oneTimeTokens.purpose, purpose),
      gt(oneTimeTokens.expiresAt, now),
    );
  return {
    async put(token) {
      const row = { ...token, data: JSON.stringify(token.data) };
      await db
        .insert(oneTimeTokens)
        .values(row)
        .onConflictDoUpdate({ target: oneTimeTokens.id, set: row });
    },
    async insertIfAbsent(token) {
      // `id` alone is the primary key (ids are digests that already name their tenant and purpose), so the
      // conflict target is `id`: a live row with it, of any tenant or purpose, keeps its place and the insert
      // reports false; an expired one (expires_at <= now = createdAt) is overwritten. One statement, so of two
      // racing callers exactly one sees its row returned.
      const row = { ...token, data: JSON.stringify(token.data) };
      const written = await db
        .insert(oneTimeTokens)
        .values(row)
        .onConflictDoUpdate({ target: oneTimeTokens.id, set: row, setWhere: lte(oneTimeTokens.expiresAt, token.createdAt) })
        .returning({ id: oneTimeTokens.id });
      return written.length > 0;
    },
    async peek(tenantId, purpose, id, now) {
      const row = await db.select().from(oneTimeTokens).where(live(tenantId, purpose, id, now)).get();
      return row ? fromRow(row) : null;
    },
    async consume(tenantId, purpose, id, now) {
      const [row] = await db.delete(oneTimeTokens).where(live(tenantId, purpose, id, now)).returning();
      return row ? fromRow(row) : null;
    },
    async countAttempt(tenantId, purpose, id, now, maxAttempts) {
      const [row] = await db
        .update(oneTimeTokens)
        .set({ attempts: sql`${oneTimeTokens.attempts} + 1` })
        .where(and(live(tenantId, purpose, id, now), lt(oneTimeTokens.attempts, maxAttempts)))
        .returning();
      return row ? fromRow(row) : null;
    },
    async consumeWithCode(tenantId, purpose, id, codeHash, now) {
      const [row] = await db
        .delete(oneTimeTokens)
        .where(and(live(tenantId, purpose, id, now), eq(oneTimeTokens.codeHash, codeHash)))
        .returning();
      return row ? fromRow(row) : null;
    },
    async deleteForSubject(tenantId, purpose, subject) {
      await db
        .delete(oneTimeTokens)
        .where(
          and(eq(oneTimeTokens.tenantId, tenantId), eq(oneTimeTokens.purpose, purpose), eq(oneTimeTokens.subject, subject)),
        );
    },
    async deleteAllForSubjects(tenantId, subjects) {
      if (subjects.length === 0) return;
      await db.delete(oneTimeTokens).where(and(eq(oneTimeTokens.tenantId, tenantId), inArray(oneTimeTokens.subject, subjects)));
    },
    async purgeExpired(now, limit) {
      const expired = db
        .select({ id: oneTimeTokens.id })
        .from(oneTimeTokens)
        .where(lte(oneTimeTokens.expiresAt, now))
        .limit(limit);
      const deleted = await db
        .delete(oneTimeTokens)
        .where(inArray(oneTimeTokens.id, expired))
        .returning({ id: oneTimeTokens.id });
      return deleted.length;
    },
  };
}
