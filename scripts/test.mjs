#!/usr/bin/env node
// The whole test suite: type checks, then every vitest project in workerd.
// Run through `npm test`, so node_modules/.bin (Node 22, wrangler, vitest) is first on PATH.
import { spawnSync } from "node:child_process";
import { readFileSync, mkdirSync, rmSync } from "node:fs";

process.env.WRANGLER_SEND_METRICS = "false";
// Secrets for the test runs only (the worker's real ones come from .dev.vars or `wrangler secret put`).
process.env.OPERATOR_KEY ??= "op_test_operator_key_0123456789abcdef";
process.env.KEY_ENCRYPTION_SECRET ??= "test-key-encryption-secret-0123456789abcdef";

function step(title, command, args) {
  console.log(`\n▶ ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  if (result.status !== 0) {
    console.error(`✖ ${title} failed`);
    process.exit(result.status ?? 1);
  }
}

step("typecheck", "tsc", ["--noEmit", "-p", "tsconfig.json"]);
step("typecheck edge-verify", "tsc", ["--noEmit", "-p", "workers/edge-verify/tsconfig.json"]);
step("typecheck webhooks", "tsc", ["--noEmit", "-p", "workers/webhooks/tsconfig.json"]);
const typesCheck = (config, envInterface, output) => [
  "types", "-c", config, "--include-runtime=false", "--strict-vars=false", "--env-interface", envInterface, "--check", output,
];
step("wrangler types --check (api)", "wrangler", typesCheck("wrangler.toml", "Env", "workers/api/worker-configuration.d.ts"));
step(
  "wrangler types --check (edge-verify)",
  "wrangler",
  typesCheck("workers/edge-verify/wrangler.toml", "EdgeVerifyEnv", "workers/edge-verify/worker-configuration.d.ts"),
);
step(
  "wrangler types --check (webhooks)",
  "wrangler",
  typesCheck("workers/webhooks/wrangler.toml", "WebhooksEnv", "workers/webhooks/worker-configuration.d.ts"),
);

mkdirSync(".test-results", { recursive: true });
let passed = 0;
let failed = 0;
let skipped = 0;

/** One vitest run in workerd; its JSON report adds to the totals. */
function vitestRun(title, report, extraArgs) {
  console.log(`\n▶ ${title}: vitest run ${extraArgs.join(" ")}`);
  rmSync(report, { force: true });
  const run = spawnSync("vitest", ["run", ...extraArgs, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
    stdio: "inherit",
    env: process.env,
  });
  try {
    const counts = JSON.parse(readFileSync(report, "utf8"));
    passed += counts.numPassedTests;
    failed += counts.numFailedTests;
    skipped += counts.numPendingTests + counts.numTodoTests;
  } catch {
    failed += 1;
  }
  return run;
}

const vitest = vitestRun("workerd suites on D1", ".test-results/vitest.json", []);
// The storage contract on both backends side by side, and the whole API suite again with Postgres
// (through a Hyperdrive binding) as the backend, in a fresh database on 127.0.0.1:5432.
const vitestPg = vitestRun("storage contract + API suite on Postgres", ".test-results/vitest-pg.json", ["--config", "vitest.pg.config.ts"]);

// Cross-worker end-to-end suites: the real local stack (wrangler dev), driven from Node.
console.log("\n▶ end-to-end: node --test test/e2e");
const e2e = spawnSync(
  process.execPath,
  ["--test", "--test-concurrency=1", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap",
    "--test-reporter-destination=.test-results/e2e.tap", "test/e2e/**/*.test.mjs"],
  { stdio: "inherit", env: process.env },
);
try {
  const tap = readFileSync(".test-results/e2e.tap", "utf8");
  const count = (name) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(tap)?.[1] ?? 0);
  passed += count("pass");
  failed += count("fail") + count("cancelled");
  skipped += count("skipped") + count("todo");
} catch {
  failed += 1;
}

console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (vitest.status !== 0 || vitestPg.status !== 0 || e2e.status !== 0 || failed > 0 || passed === 0) process.exit(1);
