import { type Column, getTableColumns, getTableName, SQL, sql, type Table } from "drizzle-orm";
import { PlintoError, type TenantRow } from "@plinto/core";
import { TENANT_TABLES } from "./tables";

/**
 * Dialect-neutral pieces of a tenant transfer: the schema's tables by SQL
 * name, rows keyed by SQL column name (decoded through drizzle's column
 * mappers, so booleans and millisecond times are the same JS values on D1 and
 * Postgres), and the SQL that pages through and inserts them.
 */
export interface TransferTable {
  name: string;
  table: Table;
  /** SQL column name -> drizzle column. */
  columns: Map<string, Column>;
  tenantColumn: Column;
  /** The primary key's columns: the stable order of an export. */
  orderBy: Column[];
}

/** The transfer view of a schema module (schema/sqlite.ts or schema/pg.ts), in TENANT_TABLES order. */
export function transferTables<T extends Table>(schemaTables: T[], primaryKeyOf: (table: T) => Column[]): TransferTable[] {
  const byName = new Map(schemaTables.map((table) => [getTableName(table), table]));
  return TENANT_TABLES.map((name) => {
    const table = byName.get(name);
    if (!table) throw new Error(`schema has no table ${name}`);
    const columns = new Map(Object.values(getTableColumns(table)).map((column) => [column.name, column]));
    const tenantColumn = columns.get(name === "tenants" ? "id" : "tenant_id");
    if (!tenantColumn) throw new Error(`${name} has no tenant_id column`);
    return { name, table, columns, tenantColumn, orderBy: primaryKeyOf(table) };
  });
}

/** One page of the tenant's rows of `t`, in primary-key order. */
export const selectPage = (t: TransferTable, tenantId: string, limit: number, offset: number): SQL =>
  sql`select ${sql.join(
    [...t.columns.values()].map((c) => sql.identifier(c.name)),
    sql`, `,
  )} from ${t.table} where ${sql.identifier(t.tenantColumn.name)} = ${tenantId} order by ${sql.join(
    t.orderBy.map((c) => sql.identifier(c.name)),
    sql`, `,
  )} limit ${limit} offset ${offset}`;

/**
 * Every row of the tenant, table by table, page by page: `readPage` runs one
 * `selectPage` query on the backend and returns the driver's rows.
 */
export async function* exportPages(
  tables: TransferTable[],
  tenantId: string,
  pageRows: number,
  readPage: (query: SQL) => Promise<Record<string, unknown>[]>,
): AsyncGenerator<TenantRow> {
  for (const t of tables) {
    for (let offset = 0; ; offset += pageRows) {
      const page = await readPage(selectPage(t, tenantId, pageRows, offset));
      for (const raw of page) yield decodeRow(t, raw);
      if (page.length < pageRows) break;
    }
  }
}

/** A driver row (SQL names, driver values) as an export row. */
export function decodeRow(t: TransferTable, raw: Record<string, unknown>): TenantRow {
  const row: Record<string, unknown> = {};
  for (const [name, column] of t.columns) {
    const value = raw[name];
    row[name] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return { table: t.name, row };
}

const JSON_TYPE: Record<string, string> = { string: "string", number: "number", boolean: "boolean" };

/**
 * The row checked against its table (unknown table or column, wrong JSON type,
 * missing required value: `validation_failed`, naming the row) and completed:
 * a column the export lacks (added after it was made) takes its default or null.
 */
export function checkRow(tables: Map<string, TransferTable>, { table, row }: TenantRow, line: number) {
  const t = tables.get(table);
  const refuse = (why: string) => new PlintoError("validation_failed", { detail: `row ${line} (${table}): ${why}` });
  if (!t) throw refuse("not a tenant table of this deployment");
  for (const [name, value] of Object.entries(row)) {
    const column = t.columns.get(name);
    if (!column) throw refuse(`unknown column ${name}`);
    if (value === null ? column.notNull : typeof value !== JSON_TYPE[column.dataType]) throw refuse(`bad value for ${name}`);
  }
  const complete: Record<string, unknown> = {};
  for (const [name, column] of t.columns) {
    const fallback = column.default instanceof SQL ? undefined : column.default;
    const value = name in row ? row[name] : (fallback ?? null);
    if (value === null && column.notNull) throw refuse(`missing ${name}`);
    complete[name] = value;
  }
  return { t, row: complete };
}

/** Multi-row inserts of complete rows of table `t`, at most `maxParams` bound values per statement (D1 allows 100). */
export function insertStatements(t: TransferTable, rows: Record<string, unknown>[], maxParams: number): SQL[] {
  const columns = [...t.columns.values()];
  const perStatement = Math.max(1, Math.floor(maxParams / columns.length));
  const statements: SQL[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const values = rows.slice(start, start + perStatement).map(
      (row) => sql`(${sql.join(columns.map((column) => sql.param(row[column.name], column)), sql`, `)})`,
    );
    const names = sql.join(columns.map((column) => sql.identifier(column.name)), sql`, `);
    statements.push(sql`insert into ${t.table} (${names}) values ${sql.join(values, sql`, `)}`);
  }
  return statements;
}

/** Every insert of an import, tables in TENANT_TABLES order (parents first), each row checked and completed. */
export function importStatements(tables: TransferTable[], rows: TenantRow[], maxParams: number): SQL[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const groups = new Map(tables.map((t) => [t.name, [] as Record<string, unknown>[]]));
  rows.forEach((row, index) => {
    const checked = checkRow(byName, row, index + 1);
    groups.get(checked.t.name)?.push(checked.row);
  });
  return tables.flatMap((t) => insertStatements(t, groups.get(t.name) ?? [], maxParams));
}
