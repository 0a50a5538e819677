import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { rawSql } from "./audit-chain-helpers";

/** D1 tables that are not tenant data: the dev mailbox (mail as sent) and D1's and workerd's own bookkeeping. */
const SKIPPED_D1 = new Set(["dev_mailbox", "d1_migrations"]);

/** Every D1 row, one JSON text each, with the table it came from. */
async function d1Rows(): Promise<{ table: string; text: string }[]> {
  const { results: tables } = await env.DB.prepare("select name from sqlite_master where type = 'table'").all<{ name: string }>();
  const names = tables.map((table) => table.name).filter((name) => !SKIPPED_D1.has(name) && !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
  const rows = await Promise.all(
    names.map(async (table) => {
      const { results } = await env.DB.prepare(`select * from "${table}"`).all<Record<string, unknown>>();
      return results.map((row) => ({ table: `d1.${table}`, text: JSON.stringify(row) }));
    }),
  );
  return rows.flat();
}

/** Every Postgres row (when this suite runs on Postgres), as Postgres's text form of the whole row. */
async function pgRows(): Promise<{ table: string; text: string }[]> {
  if (!env.HYPERDRIVE) return [];
  const tables = await rawSql("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
  const rows = await Promise.all(
    tables.map(async ({ table_name }) => {
      const table = String(table_name);
      const results = await rawSql(`select t::text as row from "${table}" t`);
      return results.map((row) => ({ table: `pg.${table}`, text: String(row.row) }));
    }),
  );
  return rows.flat();
}

/** Which of `needles` occur in which tables (case-insensitively), over every D1 table and, on the Postgres run, every Postgres table. */
export async function findInTables(needles: string[]): Promise<Record<string, string[]>> {
  const rows = [...(await d1Rows()), ...(await pgRows())];
  const found: Record<string, string[]> = {};
  for (const needle of needles) {
    const lower = needle.toLowerCase();
    const tables = new Set(rows.filter((row) => row.text.toLowerCase().includes(lower)).map((row) => row.table));
    if (tables.size > 0) found[needle] = [...tables].sort();
  }
  return found;
}

/** Rows of one table (`where` is test-built SQL) from the backend this suite runs on, as objects. */
export async function tableRows(table: string, where: string): Promise<Record<string, unknown>[]> {
  if (env.HYPERDRIVE) return rawSql(`select * from "${table}" ${where}`);
  const { results } = await env.DB.prepare(`select * from "${table}" ${where}`).all<Record<string, unknown>>();
  return results;
}

/** What the user's session-store object holds: its SQL tables (workerd's own left out), its rows, and its alarm. */
export async function sessionObjectContents(tenantId: string, userId: string) {
  const stub = env.SESSION_STORE.getByName(`${tenantId}:${userId}`);
  return runInDurableObject(stub, async (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("select name from sqlite_master where type = 'table'")
      .toArray()
      .map((row) => row.name)
      .filter((name) => !name.startsWith("_cf_") && !name.startsWith("sqlite_"));
    const rows = tables.reduce((sum, table) => sum + Number(state.storage.sql.exec(`select count(*) as n from "${table}"`).one().n), 0);
    return { tables, rows, alarm: await state.storage.getAlarm(), kv: (await state.storage.list()).size };
  });
}
