import { PlintoError, type UserRepository } from "@plinto/core";
import { users } from "@plinto/schema/pg";
import { and, desc, eq, isNotNull, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { uniqueViolationAs } from "../errors";
import { likePrefix, pageOf, userFromRow, userToRow } from "../rows";
import type { PgDb } from "./db";

export function pgUsers(db: PgDb): UserRepository {
  const emailTaken = uniqueViolationAs(() => new PlintoError("email_taken"));
  const byId = (tenantId: string, userId: string) => and(eq(users.tenantId, tenantId), eq(users.id, userId));
  return {
    async create(user) {
      await db.insert(users).values(userToRow(user)).catch(emailTaken);
    },
    async getById(tenantId, userId) {
      const [row] = await db.select().from(users).where(byId(tenantId, userId)).limit(1);
      return row ? userFromRow(row) : null;
    },
    async getByEmail(tenantId, emailNormalized) {
      const [row] = await db
        .select()
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.emailNormalized, emailNormalized)))
        .limit(1);
      return row ? userFromRow(row) : null;
    },
    async update(tenantId, userId, patch) {
      const { metadata, ...columns } = patch;
      const set = { ...columns, ...(metadata !== undefined ? { metadata: JSON.stringify(metadata) } : {}) };
      await db.update(users).set(set).where(byId(tenantId, userId)).catch(emailTaken);
    },
    async delete(tenantId, userId) {
      const deleted = await db.delete(users).where(byId(tenantId, userId)).returning({ id: users.id });
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
        .limit(query.limit + 1);
      return pageOf(rows, query.limit, userFromRow);
    },
  };
}
