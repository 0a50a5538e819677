import type { ApiKeyRepository } from "@plinto/core";
import { apiKeys } from "@plinto/schema/pg";
import { and, desc, eq, isNull } from "drizzle-orm";
import { apiKeyFromRow } from "../rows";
import type { PgDb } from "./db";

export function pgApiKeys(db: PgDb): ApiKeyRepository {
  return {
    async insert(key) {
      await db.insert(apiKeys).values(key);
    },
    async findBySecretHash(secretHash) {
      const [row] = await db.select().from(apiKeys).where(eq(apiKeys.secretHash, secretHash)).limit(1);
      return row ? apiKeyFromRow(row) : null;
    },
    async list(tenantId) {
      const rows = await db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(desc(apiKeys.id));
      return rows.map(apiKeyFromRow);
    },
    async revoke(tenantId, id, at) {
      const revoked = await db
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.tenantId, tenantId), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      return revoked.length > 0;
    },
    async touch(id, at) {
      await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
    },
  };
}
