import { PlintoError, type TenantRepository } from "@plinto/core";
import { tenants } from "@plinto/schema/pg";
import { eq } from "drizzle-orm";
import { uniqueViolationAs } from "../errors";
import { tenantFromRow, tenantToRow } from "../rows";
import type { PgDb } from "./db";

export function pgTenants(db: PgDb): TenantRepository {
  return {
    async create(tenant) {
      await db
        .insert(tenants)
        .values(tenantToRow(tenant))
        .catch(uniqueViolationAs(() => new PlintoError("slug_taken")));
    },
    async getBySlug(slug) {
      const [row] = await db.select().from(tenants).where(eq(tenants.slug, slug)).limit(1);
      return row ? tenantFromRow(row) : null;
    },
    async getById(id) {
      const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
      return row ? tenantFromRow(row) : null;
    },
    async updateSettings(tenant) {
      const row = tenantToRow(tenant);
      await db.update(tenants).set({ settings: row.settings, updatedAt: row.updatedAt }).where(eq(tenants.id, tenant.id));
    },
  };
}
