import { defineConfig } from "drizzle-kit";

/**
 * Postgres migrations (Hyperdrive backend); D1's are generated from drizzle.config.ts.
 * `drizzle-kit migrate --config drizzle.pg.config.ts` applies them to DATABASE_URL
 * (default: the local development database that `npm start -- --postgres` uses).
 */
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema/pg.ts",
  out: "./migrations/pg",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://postgres:postgres@127.0.0.1:5432/plinto" },
});
