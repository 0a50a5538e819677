import { type CustomRoleRepository, PlintoError, type PolicyRepository } from "@plinto/core";
import { organizationRoles, policySets } from "@plinto/schema/pg";
import { and, asc, eq } from "drizzle-orm";
import type { PgDb } from "./db";
import { customRoleFromRow, customRoleToRow, policySetFromRow } from "../organization-rows";
import { isUniqueViolation } from "../errors";

export function pgCustomRoles(db: PgDb): CustomRoleRepository {
  const one = (tenantId: string, key: string) => and(eq(organizationRoles.tenantId, tenantId), eq(organizationRoles.key, key));
  return {
    async list(tenantId) {
      const rows = await db.select().from(organizationRoles).where(eq(organizationRoles.tenantId, tenantId)).orderBy(asc(organizationRoles.key));
      return rows.map(customRoleFromRow);
    },
    async get(tenantId, key) {
      const [row] = await db.select().from(organizationRoles).where(one(tenantId, key)).limit(1);
      return row ? customRoleFromRow(row) : null;
    },
    async create(role) {
      await db
        .insert(organizationRoles)
        .values(customRoleToRow(role))
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new PlintoError("conflict", { detail: `a role with key ${role.key} exists` });
          throw error;
        });
    },
    async update(tenantId, key, patch) {
      const [row] = await db
        .update(organizationRoles)
        .set({ ...patch, permissions: JSON.stringify(patch.permissions) })
        .where(one(tenantId, key))
        .returning();
      return row ? customRoleFromRow(row) : null;
    },
    async delete(tenantId, key) {
      return (await db.delete(organizationRoles).where(one(tenantId, key)).returning({ key: organizationRoles.key })).length > 0;
    },
  };
}

export function pgPolicies(db: PgDb): PolicyRepository {
  return {
    async get(tenantId) {
      const [row] = await db.select().from(policySets).where(eq(policySets.tenantId, tenantId)).limit(1);
      return row ? policySetFromRow(row) : null;
    },
    async put(set) {
      const row = { tenantId: set.tenantId, rules: JSON.stringify(set.rules), updatedAt: set.updatedAt };
      await db.insert(policySets).values(row).onConflictDoUpdate({ target: policySets.tenantId, set: { rules: row.rules, updatedAt: row.updatedAt } });
    },
  };
}
