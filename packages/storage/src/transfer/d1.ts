import { PlintoError, type TenantTransfer } from "@plinto/core";
import * as schema from "@plinto/schema/sqlite";
import { is } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { getTableConfig, SQLiteAsyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";
import { isUniqueViolation } from "../errors";
import { unavailableWhen } from "../guard";
import { isD1Unavailable } from "../d1/unavailable";
import { exportPages, importStatements, transferTables } from "./columns";
import { primaryKeyColumns } from "./primary-key";
import { EXPORT_PAGE_ROWS, TENANT_TABLES } from "./tables";

/** D1 binds at most 100 values per statement. */
const D1_MAX_PARAMS = 100;

const dialect = new SQLiteAsyncDialect();
const unavailable = unavailableWhen(isD1Unavailable);
const tables = transferTables(
  Object.values(schema as Record<string, unknown>).filter((value): value is SQLiteTable => is(value, SQLiteTable)),
  (table) => primaryKeyColumns(getTableConfig(table)),
);

/** Tenant export and import on D1; an import is one `batch` (one transaction). D1 outages: `storage_unavailable`. */
export function createD1TenantTransfer(binding: D1Database): TenantTransfer {
  const db = drizzle(binding);
  return {
    tables: TENANT_TABLES,
    exportRows: (tenantId) => exportPages(tables, tenantId, EXPORT_PAGE_ROWS, (query) => db.all<Record<string, unknown>>(query)),
    async importRows(rows) {
      // Straight to the binding: drizzle's batch cannot carry raw SQL with parameters.
      const statements = importStatements(tables, rows, D1_MAX_PARAMS).map((statement) => {
        const query = dialect.sqlToQuery(statement);
        return binding.prepare(query.sql).bind(...query.params);
      });
      await binding.batch(statements).catch((error: unknown) => {
        if (isUniqueViolation(error)) throw new PlintoError("conflict", { detail: "rows of this tenant already exist here" });
        throw unavailable(error);
      });
    },
  };
}
