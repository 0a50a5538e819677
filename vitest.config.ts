import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

const migrations = await readD1Migrations("migrations/d1");

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          OPERATOR_KEY: "op_test_operator_key_0123456789abcdef",
          KEY_ENCRYPTION_SECRET: "test-key-encryption-secret-0123456789abcdef",
          TEST_MIGRATIONS: migrations,
        },
      },
    }),
  ],
  test: {
    include: [
      "workers/**/*.test.ts",
      "durable-objects/**/*.test.ts",
      "packages/**/*.test.ts",
      "schema/**/*.test.ts",
      "test/api/**/*.test.ts",
    ],
    setupFiles: ["./test/setup/apply-migrations.ts"],
    // Real upstream identity providers on 127.0.0.1 for the social sign-in tests (no internet).
    globalSetup: ["./test/setup/upstream-providers.mjs"],
  },
});
