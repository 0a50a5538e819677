// vitest globalSetup of vitest.pg.config.ts: the database named in PLINTO_PG_TEST_DB exists and is
// migrated before any test runs, and is dropped when the run ends.
import { createDatabase, dropDatabase } from "./postgres-database.mjs";

export default async function setup() {
  const name = process.env.PLINTO_PG_TEST_DB;
  if (!name) throw new Error("PLINTO_PG_TEST_DB is not set (vitest.pg.config.ts sets it)");
  await createDatabase(name, { forTests: true });
  return () => dropDatabase(name);
}
