import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";

/** The drizzle database the Postgres repositories run on (postgres.js through Hyperdrive). */
export type PgDb = PostgresJsDatabase;
