#!/usr/bin/env node
// Storage backends side by side (issue 8 "Benchmarks"): the sign-in's user read
// (get user by email) and its relational write (user last_sign_in_at + audit
// event; the session itself is a Durable Object write, the same on both) per
// second on D1 and on PostgreSQL through a Hyperdrive binding, in one run, as
// ratios. Two workerd servers with the same bundle: one without HYPERDRIVE
// (D1), one with it bound to a fresh database on 127.0.0.1:5432. See bench/README.md.
//
//   npm run bench:storage
//   npm run bench:storage -- --quick   (short windows: a smoke test)
import path from "node:path";
import os from "node:os";
// @ts-ignore -- plain Node module shared with the Postgres test setup
import { createDatabase, dropDatabase, newDatabase } from "../test/setup/postgres-database.mjs";
import { findWorkerdPids } from "./lib/cpu.mjs";
import { runInterleaved } from "./lib/load.mjs";
import { table, versions } from "./lib/report.mjs";
import { apiClient, JSON_HEADERS, setupTenant } from "./lib/scenarios.mjs";
import { applyD1Migrations, buildBundle, readApiConfig, ROOT, startServer } from "./lib/server.mjs";

const QUICK = process.argv.includes("--quick");
/** Measured seconds per scenario, split into ROUNDS alternating windows (D1 and Postgres see the same background load). */
const SECONDS = QUICK ? 4 : 12;
const ROUNDS = 4;
const WARMUP_MS = 1000;
const CONCURRENCY = 8;
const USERS = 8;
/** Upper bound on requests per window, so a fast backend cannot grow the audit table without limit. */
const MAX_REQUESTS_PER_WINDOW = 50_000;

const log = (...args) => console.error(...args);

function partScenario(name, backend, baseUrl, tenant, part) {
  return {
    name: `${name} (${backend})`,
    baseUrl,
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: SECONDS * 1000,
    maxRequests: MAX_REQUESTS_PER_WINDOW,
    request: (i) => ({
      method: "POST",
      path: `/__bench/parts/${part}`,
      headers: JSON_HEADERS,
      body: JSON.stringify({ slug: tenant.slug, email: tenant.users[i % tenant.users.length].email }),
    }),
  };
}

async function serve(modules, rawConfig, hyperdrives) {
  const server = await startServer(modules, rawConfig, { hyperdrives });
  await applyD1Migrations(server.mf, rawConfig); // D1 stays bound and migrated either way (dev mailbox)
  const tenant = await setupTenant(apiClient(server.url), "ES256", USERS);
  return { ...server, tenant };
}

async function main() {
  const t0 = performance.now();
  const loadBefore = os.loadavg();
  const rawConfig = await readApiConfig();
  log("• bundling the api worker with wrangler deploy --dry-run");
  const { modules } = buildBundle({ outDir: path.join(ROOT, "bench", "out", "storage-bundle") });
  const database = newDatabase("plinto_bench");
  log(`• creating and migrating Postgres database ${database.name}`);
  await createDatabase(database.name);
  const servers = [];
  try {
    log("• starting two workerd servers (D1; Postgres through Hyperdrive) and signing up users");
    const d1 = await serve(modules, rawConfig);
    servers.push(d1);
    const pg = await serve(modules, rawConfig, { HYPERDRIVE: database.url });
    servers.push(pg);
    const scenarios = [];
    for (const [part, label] of [["get-user-by-email", "read: user by email"], ["sign-in-write", "write: sign-in record"]]) {
      scenarios.push(partScenario(label, "D1", d1.url, d1.tenant, part));
      scenarios.push(partScenario(label, "Postgres", pg.url, pg.tenant, part));
    }
    log(`• measuring ${scenarios.length} scenarios, ${ROUNDS} interleaved windows each, ${SECONDS} s per scenario`);
    const results = await runInterleaved(d1.url, scenarios, findWorkerdPids(), ROUNDS, (s, round) => log(`  ${s.name} window ${round + 1}`));
    report(results, { seconds: (performance.now() - t0) / 1000, loadBefore, database: database.name });
    if (results.some((r) => r.nonOk > 0 || r.ok === 0)) process.exitCode = 1;
  } finally {
    await Promise.allSettled(servers.map((s) => s.mf.dispose()));
    await dropDatabase(database.name);
  }
}

function report(results, { seconds, loadBefore }) {
  const fmt = (n, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows = [["scenario", "clients", "ok", "non-200", "req/s", "p50 ms", "p99 ms", "workerd %", "other %"]];
  for (const r of results) {
    const pct = (v) => (v === null ? "?" : fmt((100 * v) / r.cpu.wall));
    rows.push([r.name, r.concurrency, r.ok, r.nonOk, fmt(r.rps), fmt(r.p50, 2), fmt(r.p99, 2), pct(r.cpu.workerd), pct(r.cpu.other)]);
  }
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  const ratio = (label) => by[`${label} (Postgres)`].rps / by[`${label} (D1)`].rps;
  console.log(`\nStorage backends: D1 vs PostgreSQL through Hyperdrive (${versions()})`);
  console.log(`load average before: ${loadBefore.map((l) => l.toFixed(2)).join(" ")}; ${os.cpus().length} cores; run ${fmt(seconds)} s\n`);
  console.log(table(rows));
  console.log("");
  for (const label of ["read: user by email", "write: sign-in record"]) {
    console.log(`${label.padEnd(24)} Postgres / D1 = ${ratio(label).toFixed(2)}x (req/s)`);
  }
  for (const r of results) {
    if (r.failures.length) console.log(`failures in ${r.name}: ${r.failures.join(" | ")}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
