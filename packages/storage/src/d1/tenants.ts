import { PlintoError, type TenantRepository } from "@plinto/core";
import { eq } from "drizzle-orm";
import type { DrizzleD1Database } from "drizzle-orm/d1";
import { tenants } from "@plinto/schema/sqlite";
import { tenantFromRow, tenantToRow, uniqueViolationAs } from "./rows";

export function d1Tenants(db: DrizzleD1Database): TenantRepository {
  return {
    async create(tenant) {
      await db
        .insert(tenants)
        .values(tenantToRow(tenant))
        .catch(uniqueViolationAs(() => new PlintoError("slug_taken")));
    },
    async getBySlug(slug) {
      const row = await db.select().from(tenants).where(eq(tenants.slug, slug)).get();
      return row ? tenantFromRow(row) : null;
    },
    async getById(id) {
      const row = await db.select().from(tenants).where(eq(tenants.id, id)).get();
      return row ? tenantFromRow(row) : null;
    },
    async updateSettings(tenant) {
      const row = tenantToRow(tenant);
      await db.update(tenants).set({ settings: row.settings, updatedAt: row.updatedAt }).where(eq(tenants.id, tenant.id));
    },
  };
}
