import * as sqlite from "@plinto/schema/sqlite";
import { getTableName, is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { NOT_EXPORTED, TENANT_TABLES } from "./tables";

/**
 * A tenant export must carry every tenant-scoped table, or a migrated tenant
 * silently loses data. schema/parity.test.ts keeps schema/pg.ts equal to
 * schema/sqlite.ts, so checking the SQLite schema covers both backends.
 */
const tables = Object.values(sqlite as Record<string, unknown>).filter((value): value is SQLiteTable => is(value, SQLiteTable));
const exported: readonly string[] = TENANT_TABLES;
const columnsOf = (table: SQLiteTable) => getTableConfig(table).columns.map((column) => column.name);
const parentsOf = (table: SQLiteTable) => getTableConfig(table).foreignKeys.map((fk) => getTableName(fk.reference().foreignTable));

describe("tenant export coverage", () => {
  it("covers every table with a tenant_id column (exported, or left out with a reason)", () => {
    const uncovered = tables
      .filter((table) => columnsOf(table).includes("tenant_id"))
      .map(getTableName)
      .filter((name) => !exported.includes(name) && !(name in NOT_EXPORTED));
    expect(uncovered, "add these tables to TENANT_TABLES (packages/storage/src/transfer/tables.ts) in foreign-key order").toEqual([]);
  });

  it("has no table that hangs off a tenant table without a tenant_id of its own (the export could not select its rows)", () => {
    const orphans = tables
      .filter((table) => !columnsOf(table).includes("tenant_id") && getTableName(table) !== "tenants")
      .filter((table) => parentsOf(table).some((parent) => exported.includes(parent)))
      .map(getTableName);
    expect(orphans, "give these tables a tenant_id column").toEqual([]);
  });

  it("lists only tables of the schema, tenants first, every parent before its children", () => {
    const byName = new Map(tables.map((table) => [getTableName(table), table]));
    expect(exported[0]).toBe("tenants");
    for (const [index, name] of exported.entries()) {
      const table = byName.get(name);
      expect(table, `${name} is not in schema/sqlite.ts`).toBeDefined();
      if (!table) continue;
      for (const parent of parentsOf(table)) {
        expect(exported.indexOf(parent), `${name} references ${parent}, which must come first`).toBeGreaterThanOrEqual(0);
        expect(exported.indexOf(parent), `${name} references ${parent}, which must come first`).toBeLessThan(index);
      }
    }
  });

  it("leaves out only tables that exist", () => {
    const names = tables.map(getTableName);
    expect(Object.keys(NOT_EXPORTED).filter((name) => !names.includes(name))).toEqual([]);
  });
});
