import { defineConfig } from "drizzle-kit";

/** Postgres migrations (Hyperdrive backend); D1's are generated from drizzle.config.ts. */
export default defineConfig({
  dialect: "postgresql",
  schema: "./schema/pg.ts",
  out: "./migrations/pg",
});
