import { PlintoError, type UserRepository } from "@plinto/core";
import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { users } from "@plinto/schema/sqlite";
import { likePrefix, uniqueViolationAs, userFromRow, userToRow } from "./rows";

export function d1Users(db: DrizzleD1Database): UserRepository {
  const emailTaken = uniqueViolationAs(() => new PlintoError("email_taken"));
  return {
    async create(user) {
      await db.insert(users).values(userToRow(user)).catch(emailTaken);
    },
    async getById(tenantId, userId) {
      const row = await db.select().from(users).where(and(eq(users.tenantId, tenantId), eq(users.id, userId))).get();
      return row ? userFromRow(row) : null;
    },
    async getByEmail(tenantId, emailNormalized) {
      const row = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.emailNormalized, emailNormalized)))
        .get();
      return row ? userFromRow(row) : null;
    },
    async update(tenantId, userId, patch) {
      const { metadata, ...columns } = patch;
      await db
        .update(users)
        .set({ ...columns, ...(metadata !== undefined ? { metadata: JSON.stringify(metadata) } : {}) })
        .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
        .catch(emailTaken);
    },
    async delete(tenantId, userId) {
      const deleted = await db
        .delete(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
        .returning({ id: users.id });
      return deleted.length > 0;
    },
    async list(query) {
      const conditions: (SQL | undefined)[] = [eq(users.tenantId, query.tenantId)];
      if (query.afterId) conditions.push(lt(users.id, query.afterId));
      if (query.banned !== undefined) conditions.push(query.banned ? isNotNull(users.bannedAt) : isNull(users.bannedAt));
      if (query.query) {
        const prefix = likePrefix(query.query.toLowerCase());
        conditions.push(
          or(sql`${users.emailNormalized} LIKE ${prefix} ESCAPE '\\'`, sql`lower(${users.name}) LIKE ${prefix} ESCAPE '\\'`),
        );
      }
      const rows = await db
        .select()
        .from(users)
        .where(and(...conditions))
        .orderBy(desc(users.id))
        .limit(query.limit + 1)
        .all();
      const items = rows.slice(0, query.limit).map(userFromRow);
      return { items, nextAfterId: rows.length > query.limit ? (items.at(-1)?.id ?? null) : null };
    },
  };
}
