/**
 * One row of a tenant-scoped table, keyed by SQL column name, values as JSON
 * carries them (strings, numbers, booleans, null): the unit of a tenant export.
 */
export interface TenantRow {
  table: string;
  row: Record<string, unknown>;
}

/**
 * Copies a tenant's rows out of and into one relational backend, table by
 * table, so a tenant can move between D1 and Postgres. Adapters know every
 * tenant-scoped table (packages/storage/src/transfer/tables.ts).
 */
export interface TenantTransfer {
  /** The tenant-scoped tables, parents before children (foreign-key order). */
  readonly tables: readonly string[];
  /** Every row of the tenant, table by table in `tables` order, stable order within a table. */
  exportRows(tenantId: string): AsyncIterable<TenantRow>;
  /**
   * Checks every row against its table's columns (`validation_failed`), then
   * writes them all in one transaction or none (`slug_taken`, `conflict` when
   * a row's key exists).
   */
  importRows(rows: TenantRow[]): Promise<void>;
  /** Releases the connection a per-request backend holds (Postgres); absent for D1. */
  close?(): Promise<void>;
}
