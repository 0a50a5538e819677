import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
// @ts-expect-error -- a plain Node module without types, shared with bench/ and scripts/
import { newDatabase } from "./test/setup/postgres-database.mjs";

/**
 * The same worker with a `HYPERDRIVE` binding, so storage runs on PostgreSQL:
 * the storage contract suite and the whole API suite, against a fresh database
 * (created and migrated by the global setup, dropped afterwards). D1 stays
 * bound and migrated: the dev mailbox lives there, and the contract suite runs
 * against both backends side by side.
 */
const migrations = await readD1Migrations("migrations/d1");
const database = newDatabase() as { name: string; url: string };
process.env.PLINTO_PG_TEST_DB = database.name;

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        hyperdrives: { HYPERDRIVE: database.url },
        bindings: {
          OPERATOR_KEY: "op_test_operator_key_0123456789abcdef",
          KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-0123456789abcdef",
          TEST_MIGRATIONS: migrations,
        },
      },
    }),
  ],
  test: {
    include: ["test/storage/**/*.test.ts", "test/api/**/*.test.ts"],
    setupFiles: ["./test/setup/apply-migrations.ts"],
    globalSetup: ["./test/setup/postgres-global.mjs", "./test/setup/upstream-providers.mjs"],
    // Closing a socket in workerd's local runtime rejects a promise nobody can observe with exactly this
    // TypeError (seen with both postgres.js and node-postgres, after `end()`); the connection is closed as asked.
    // Only this exact error is ignored; any other unhandled error still fails the run.
    onUnhandledError: (error) => !(error.name === "TypeError" && error.message === "This socket has been closed."),
  },
});
