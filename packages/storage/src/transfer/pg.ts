import { PlintoError, type TenantTransfer } from "@plinto/core";
import * as schema from "@plinto/schema/pg";
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/postgres-js";
import type { Sql } from "postgres";
import { isUniqueViolation } from "../errors";
import { unavailableWhen } from "../guard";
import { isPgConnectionFailure } from "../pg/connection-failure";
import { exportPages, importStatements, transferTables } from "./columns";
import { primaryKeyColumns } from "./primary-key";
import { EXPORT_PAGE_ROWS, TENANT_TABLES } from "./tables";

/** Bound values per insert: well under Postgres's 65,535, statements stay small. */
const PG_MAX_PARAMS = 2_000;

const tables = transferTables(
  Object.values(schema as Record<string, unknown>).filter((value): value is PgTable => is(value, PgTable)),
  (table) => primaryKeyColumns(getTableConfig(table)),
);
const unavailable = unavailableWhen(isPgConnectionFailure);

/** Tenant export and import on Postgres; an import is one transaction. Connection failures: `storage_unavailable`. */
export function createPgTenantTransfer(client: Sql): TenantTransfer {
  const db = drizzle({ client });
  return {
    close: () => client.end({ timeout: 5 }),
    tables: TENANT_TABLES,
    exportRows: (tenantId) =>
      exportPages(tables, tenantId, EXPORT_PAGE_ROWS, async (query) => [...(await db.execute<Record<string, unknown>>(query))]),
    async importRows(rows) {
      const statements = importStatements(tables, rows, PG_MAX_PARAMS);
      await db
        .transaction(async (tx) => {
          for (const statement of statements) await tx.execute(statement);
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) throw new PlintoError("conflict", { detail: "rows of this tenant already exist here" });
          throw unavailable(error);
        });
    },
  };
}
