import type { Column } from "drizzle-orm";

interface TableConfigLike {
  columns: Column[];
  primaryKeys: { columns: Column[] }[];
}

/** A table's primary-key columns, single (`.primaryKey()`) or composite (`primaryKey({ columns })`); same shape in both dialects. */
export function primaryKeyColumns(config: TableConfigLike): Column[] {
  const single = config.columns.filter((column) => column.primary);
  return single.length > 0 ? single : (config.primaryKeys[0]?.columns ?? []);
}
