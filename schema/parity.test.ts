import { getTableName, is, Table } from "drizzle-orm";
import { getTableConfig as pgConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pg from "./pg";
import * as sqlite from "./sqlite";

/**
 * The D1 and Postgres schemas must define the same tables, columns (name,
 * nullability, primary key, default presence), indexes (name, columns,
 * uniqueness), composite primary keys and foreign keys, so one set of row
 * mappers and one storage contract suite serve both backends.
 */
interface Shape {
  columns: string[];
  indexes: string[];
  primaryKeys: string[];
  foreignKeys: string[];
}

interface ConfigLike {
  columns: { name: string; notNull: boolean; primary: boolean; hasDefault: boolean }[];
  indexes: { config: { name?: string; unique: boolean; columns: unknown[] } }[];
  primaryKeys: { columns: { name: string }[] }[];
  foreignKeys: { reference(): { columns: { name: string }[]; foreignTable: Table; foreignColumns: { name: string }[] } }[];
}

const columnName = (column: unknown): string =>
  typeof column === "object" && column !== null && "name" in column ? String(column.name) : "?";

function shape(config: ConfigLike): Shape {
  return {
    columns: config.columns
      .map((c) => `${c.name} notNull=${c.notNull} primary=${c.primary} default=${c.hasDefault}`)
      .sort(),
    indexes: config.indexes
      .map((i) => `${i.config.name} unique=${i.config.unique} (${i.config.columns.map(columnName).join(",")})`)
      .sort(),
    primaryKeys: config.primaryKeys.map((p) => p.columns.map((c) => c.name).join(",")).sort(),
    foreignKeys: config.foreignKeys
      .map((f) => {
        const ref = f.reference();
        return `${ref.columns.map((c) => c.name).join(",")} -> ${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(",")})`;
      })
      .sort(),
  };
}

const tablesOf = <T extends Table>(module: Record<string, unknown>, isKind: (value: unknown) => value is T): Map<string, T> =>
  new Map(
    Object.values(module)
      .filter(isKind)
      .map((table) => [getTableName(table), table]),
  );
const isSqliteTable = (value: unknown): value is SQLiteTable => is(value, SQLiteTable);
const isPgTable = (value: unknown): value is PgTable => is(value, PgTable);

describe("schema parity: sqlite (D1) and pg (Postgres)", () => {
  const sqliteTables = tablesOf(sqlite, isSqliteTable);
  const pgTables = tablesOf(pg, isPgTable);

  it("defines the same tables", () => {
    expect([...pgTables.keys()].sort()).toEqual([...sqliteTables.keys()].sort());
    expect(sqliteTables.size).toBeGreaterThan(5);
  });

  for (const [name, table] of sqliteTables) {
    it(`table ${name} has the same columns, indexes and keys`, () => {
      const other = pgTables.get(name);
      expect(other, `pg schema lacks table ${name}`).toBeDefined();
      if (!other) return;
      expect(shape(pgConfig(other))).toEqual(shape(sqliteConfig(table)));
    });
  }
});
