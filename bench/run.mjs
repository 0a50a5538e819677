#!/usr/bin/env node
// Plinto api worker benchmarks: hello, bare argon2id verify, sign-in and
// refresh (RS256, ES256, EdDSA), measured in one run against the bundled
// worker on workerd directly. See bench/README.md.
//
//   npm run bench            (about 2 minutes)
//   npm run bench -- --quick (shorter windows, for a smoke test)
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { cpuDelta, cpuSample, findWorkerdPids, threadCount } from "./lib/cpu.mjs";
import { runInterleaved } from "./lib/load.mjs";
import {
  ALGORITHMS,
  apiClient,
  argon2Scenario,
  helloScenario,
  PASSWORD,
  partScenario,
  refreshScenario,
  setupTenant,
  signInScenario,
} from "./lib/scenarios.mjs";
import { applyD1Migrations, buildBundle, OUT_DIR, readApiConfig, ROOT, startServer } from "./lib/server.mjs";
import { fmt, machineLine, ms, perCpuSecond, pctOfWall, ratio, resultsTable, table, versions } from "./lib/report.mjs";

const QUICK = process.argv.includes("--quick");
const BREAKDOWN = !process.argv.includes("--no-breakdown");
const scale = QUICK ? 0.4 : 1;
const seconds = (s) => Math.round(s * scale * 1000);

/** Virtual clients (connections) for the cheap routes, as in DESIGN.md's wrk figures. */
const FAST_CONCURRENCY = 16;
/** argon2 and sign-in: one thread does the hashing, more clients only queue. */
const HASH_CONCURRENCY = 4;
/** Alternating windows per scenario group (see runInterleaved). */
const ROUNDS = 4;
const TARGETS = { signInVsArgon2: 0.8, refreshPerCore: 1200 };

const log = (...args) => console.error(...args);

async function main() {
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  const t0 = performance.now();

  const rawConfig = await readApiConfig();
  log("• bundling with wrangler deploy --dry-run");
  const { sizeLine, modules } = buildBundle();
  log(`  ${sizeLine}`);
  log("• starting workerd (miniflare, direct socket)");
  const { mf, url } = await startServer(modules, rawConfig);
  try {
    const migrations = await applyD1Migrations(mf, rawConfig);
    log(`  migrations: ${migrations.files.join(", ")} (${migrations.statements} statements)`);
    const workerdPids = findWorkerdPids();
    const api = apiClient(url);

    log("• setup: a tenant per signing algorithm, rate limits raised, users signed up");
    const tenants = {};
    for (const alg of ALGORITHMS) tenants[alg] = await setupTenant(api, alg, FAST_CONCURRENCY);
    const probe = await api.post("/__bench/argon2-verify", {});
    if (probe.status !== 200) throw new Error(`argon2-verify probe: ${probe.status} ${probe.text}`);
    if (probe.json.hash !== `$argon2id$v=19$${probe.json.params}`) {
      throw new Error(`argon2-verify hash ${probe.json.hash} is not at ARGON2ID_PARAMS (${probe.json.params})`);
    }
    log(`  argon2-verify hash: ${probe.json.hash}… (ARGON2ID_PARAMS ${probe.json.params})`);

    const results = [];
    const parts = [];
    // Each group runs in alternating windows, so the scenarios a ratio (or a
    // difference) compares share the same background load (see runInterleaved).
    const interleaved = async (scenarios) => {
      for (const sc of scenarios) log(`• ${sc.name}: ${sc.concurrency} clients, ${sc.durationMs / 1000} s in ${ROUNDS} windows`);
      const out = await runInterleaved(url, scenarios, workerdPids, ROUNDS);
      for (const r of out) if (r.nonOk > 0) log(`  ! ${r.name}: ${r.nonOk} non-200 answers: ${JSON.stringify(r.statuses)}`);
      return out;
    };
    const rs = tenants.RS256;
    const email = (i) => rs.users[i % rs.users.length].email;
    const hashing = { concurrency: HASH_CONCURRENCY, warmupMs: seconds(0.5), durationMs: seconds(8) };
    const fast = { concurrency: FAST_CONCURRENCY, warmupMs: seconds(1), durationMs: seconds(5) };
    const part = { concurrency: FAST_CONCURRENCY, warmupMs: seconds(0.5), durationMs: seconds(3) };

    // 1. argon2id alone vs sign-in (+ sign-in with a free hasher, for the breakdown).
    const [argon2, signIn, signInWithoutArgon2] = await interleaved([
      argon2Scenario(hashing),
      signInScenario(rs, hashing),
      ...(BREAKDOWN
        ? [
            partScenario("sign-in-without-argon2", {
              ...hashing,
              durationMs: seconds(4),
              body: (i) => ({ slug: rs.slug, email: email(i), password: PASSWORD }),
            }),
          ]
        : []),
    ]);
    // 2. hello vs refresh with each algorithm (+ refresh without the Hono app, for the breakdown).
    const refreshScenarios = ALGORITHMS.map((alg) => refreshScenario(tenants[alg], { ...fast, durationMs: seconds(6) }));
    const [hello, ...refreshResults] = await interleaved([
      helloScenario(fast),
      ...refreshScenarios,
      ...(BREAKDOWN
        ? [refreshScenario(rs, part, { name: "refresh-core (RS256)", path: "/__bench/parts/refresh-core" })]
        : []),
    ]);
    const refreshCore = BREAKDOWN ? refreshResults.pop() : null;
    const refresh = {};
    for (const [i, alg] of ALGORITHMS.entries()) {
      refresh[alg] = refreshResults[i];
      const seen = [...refreshScenarios[i].algs];
      if (seen.length !== 1 || seen[0] !== alg) throw new Error(`refresh (${alg}) issued tokens signed with ${seen}`);
    }
    results.push(hello, argon2, signIn, ...refreshResults);

    // 3. Breakdown: single parts, each with a hello baseline in the same windows.
    if (BREAKDOWN) {
      parts.push(signInWithoutArgon2, refreshCore);
      const scenarios = [
        { ...helloScenario(part), name: "hello (parts baseline)" },
        ...ALGORITHMS.map((alg) =>
          partScenario("sign-access-token", { ...part, label: `sign-access-token (${alg})`, body: () => ({ slug: tenants[alg].slug }) }),
        ),
        ...ALGORITHMS.map((alg) => {
          const token = tenants[alg].users[0].accessToken;
          return partScenario("verify-access-token", {
            ...part,
            label: `verify-access-token (${alg})`,
            body: () => ({ slug: tenants[alg].slug, token }),
          });
        }),
        partScenario("do-rotate", part),
        partScenario("do-rpc-read", part),
        partScenario("rate-limit-consume", part),
        partScenario("get-user-by-email", { ...part, body: (i) => ({ slug: rs.slug, email: email(i) }) }),
      ];
      parts.push(...(await interleaved(scenarios)));
    }

    let wrkHello = null;
    if (hasWrk()) {
      log("• hello with wrk (cross-check of the load generator)");
      const before = cpuSample(workerdPids);
      wrkHello = runWrk(new URL("/__bench/hello", url).href, FAST_CONCURRENCY, QUICK ? 2 : 5);
      if (wrkHello) wrkHello.cpu = cpuDelta(before, cpuSample(workerdPids));
    }

    // Raw results first, so a report bug never loses a run.
    writeFileSync(
      path.join(OUT_DIR, "..", "last-run.json"),
      JSON.stringify({ startedAt, loadBefore, results, parts, wrkHello }, null, 2),
    );
    const report = formatReport({
      startedAt,
      loadBefore,
      totalSeconds: (performance.now() - t0) / 1000,
      sizeLine,
      workerdPids,
      results,
      hello,
      argon2,
      signIn,
      refresh,
      parts,
      wrkHello,
    });
    console.log(report);
    const bad = [...results, ...parts].filter((r) => r.nonOk > 0 || r.stoppedClients > 0);
    if (bad.length > 0) {
      console.log(`\nINVALID RUN: non-200 answers in ${bad.map((r) => r.name).join(", ")}`);
      for (const r of bad) console.log(`  ${r.name}: ${JSON.stringify(r.statuses)} e.g. ${r.failures[0]}`);
      process.exitCode = 1;
    }
  } finally {
    await mf.dispose();
  }
}

function hasWrk() {
  return spawnSync("wrk", ["--version"], { encoding: "utf8" }).error === undefined;
}

function runWrk(target, connections, durationSeconds) {
  const result = spawnSync("wrk", ["-t1", `-c${connections}`, `-d${durationSeconds}s`, "--latency", target], {
    encoding: "utf8",
  });
  const out = result.stdout ?? "";
  const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(out)?.[1]);
  const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(out)?.[1] ?? 0);
  const p50 = /50%\s+([\d.]+\w+)/.exec(out)?.[1];
  const p99 = /99%\s+([\d.]+\w+)/.exec(out)?.[1];
  return Number.isFinite(rps) ? { rps, non2xx, p50, p99 } : null;
}

// ---------------------------------------------------------------- report



function formatReport(ctx) {
  const { results, hello, argon2, signIn, refresh, workerdPids, wrkHello } = ctx;
  const lines = [];
  lines.push(`Plinto api bench — ${ctx.startedAt.toISOString()}${QUICK ? " (--quick)" : ""}`);
  lines.push(machineLine(ctx.loadBefore));
  lines.push(versions());
  lines.push(
    `server: bench/workers/api-with-baselines.ts with wrangler.toml, bundled by wrangler deploy --dry-run ` +
      `(${ctx.sizeLine.replace("Total Upload: ", "")}), served by workerd (miniflare, direct socket); ` +
      `workerd pid ${workerdPids.join(",") || "?"}, ${workerdPids.map(threadCount).join(",") || "?"} threads ` +
      `(one JS thread runs the worker, its Durable Objects and the local D1)`,
  );
  lines.push("");
  lines.push(resultsTable(results));
  if (wrkHello) {
    lines.push(
      `hello via wrk -t1 -c${FAST_CONCURRENCY}: ${fmt(wrkHello.rps)} req/s (p50 ${wrkHello.p50}, p99 ${wrkHello.p99}, ` +
        `non-2xx ${wrkHello.non2xx}), workerd ${pctOfWall(wrkHello.cpu.workerd, wrkHello)}, ` +
        `other incl. wrk ${pctOfWall(wrkHello.cpu.other, wrkHello)}, ${fmt(wrkHello.rps / wrkHello.cpu.workerd * wrkHello.cpu.wall)} req/CPU-s`,
    );
    if (wrkHello.rps > 1.2 * hello.rps) {
      lines.push("  (the in-process load generator caps hello's wall req/s; routes 10x slower than hello are not capped)");
    }
  }
  lines.push("workerd / client / other: CPU used during the window by workerd, by this load generator, and by");
  lines.push("everything else on the machine, as % of one core. req/CPU-s: answered requests per second of workerd");
  lines.push("CPU time, i.e. throughput per core, unaffected by other load on the machine.");
  const noisy = results.filter((r) => r.cpu.other !== null && r.cpu.other / r.cpu.wall > 0.25);
  if (noisy.length > 0) {
    lines.push(
      `NOTE: other processes used > 25% of a core during ${noisy.length}/${results.length} windows: wall req/s are ` +
        "depressed and noisy there; compare the req/CPU-s column.",
    );
  }
  lines.push("");

  const wall = (a, b) => ratio(a.rps, b.rps);
  const perCpu = (a, b) => ratio(perCpuSecond(a), perCpuSecond(b));
  const check = (ok) => (ok ? "PASS" : "MISS");
  const both = (a, b, digits = 2) => `${fmt(wall(a, b), digits)}x wall, ${fmt(perCpu(a, b), digits)}x per CPU-s`;
  const rs = refresh.RS256;
  // Per core: requests per second of workerd CPU (wall req/s when /proc is unavailable).
  const perCore = Number.isFinite(perCpuSecond(rs)) ? perCpuSecond(rs) : rs.rps;
  const signInRatio = Number.isFinite(perCpu(signIn, argon2)) ? perCpu(signIn, argon2) : wall(signIn, argon2);
  lines.push("Ratios (same run)");
  lines.push(
    `  sign-in / argon2-verify       ${both(signIn, argon2)}   target >= ${TARGETS.signInVsArgon2}x  ${check(signInRatio >= TARGETS.signInVsArgon2)}`,
  );
  lines.push(`  argon2id verify              ${ms(1000 / argon2.rps)} ms/hash wall, ${ms(1000 / perCpuSecond(argon2))} ms CPU (bare hash rate, one thread)`);
  for (const alg of ALGORITHMS) {
    lines.push(`  refresh ${alg.padEnd(5)} / hello        ${both(refresh[alg], hello, 3)}`);
  }
  if (wrkHello) lines.push(`  refresh RS256 / hello (wrk)   ${fmt(ratio(rs.rps, wrkHello.rps), 3)}x wall`);
  lines.push(
    `  refresh RS256 per core        ${fmt(perCore)}/s (${fmt(rs.rps)}/s wall)   target >= ${fmt(TARGETS.refreshPerCore)}/s per core  ${check(perCore >= TARGETS.refreshPerCore)}`,
  );
  lines.push(`  refresh ES256 / RS256         ${both(refresh.ES256, rs)}`);
  lines.push(`  refresh EdDSA / RS256         ${both(refresh.EdDSA, rs)}`);
  lines.push(`  refresh RS256 vs Keycloak's published 120/s per vCPU: ${fmt(perCore / 120, 1)}x`);
  if (ctx.parts.length > 0) lines.push("", ...formatBreakdown(ctx));
  lines.push("");
  lines.push(`total bench time ${ctx.totalSeconds.toFixed(0)} s`);
  return lines.join("\n");
}

/** CPU per request of each part, and how the sign-in and refresh costs add up. */
function formatBreakdown({ parts, hello, argon2, signIn, refresh }) {
  const cpuUs = (r) => (r && Number.isFinite(perCpuSecond(r)) ? 1e6 / perCpuSecond(r) : NaN);
  const us = (n) => (Number.isFinite(n) ? `${fmt(n)} µs` : "n/a");
  const byName = Object.fromEntries(parts.map((r) => [r.name, r]));
  // Each part minus the hello measured in the same alternating windows.
  const SAME_GROUP_AS_MAIN = new Set(["refresh-core (RS256)", "sign-in-without-argon2"]);
  const base = cpuUs(hello);
  const baseFor = (name) => (SAME_GROUP_AS_MAIN.has(name) ? base : cpuUs(byName["hello (parts baseline)"] ?? hello));
  const net = (name) => cpuUs(byName[name]) - baseFor(name);
  const lines = [];
  lines.push("Breakdown: bench-only routes that run one part each with the worker's real deps (bench/workers/parts.ts)");
  lines.push(
    table([
      ["part", "clients", "ok", "non-200", "req/s", "p50 ms", "other", "CPU/req", "minus hello"],
      ...parts.map((r) => [
        r.name,
        r.concurrency,
        r.ok,
        r.nonOk,
        fmt(r.rps),
        ms(r.p50),
        r.cpu.other !== null ? `${((100 * r.cpu.other) / r.cpu.wall).toFixed(0)}%` : "n/a",
        us(cpuUs(r)),
        r.name.startsWith("hello") ? "" : us(net(r.name)),
      ]),
    ]),
  );
  const full = cpuUs(refresh.RS256);
  const core = net("refresh-core (RS256)");
  const sign = net("sign-access-token (RS256)");
  const rotate = net("do-rotate");
  lines.push("");
  lines.push("Where the CPU goes (workerd CPU per request; parts minus the hello round trip):");
  lines.push(`  hello: HTTP round trip, no app              ${us(base)}`);
  lines.push(`  refresh RS256 through the api worker         ${us(full)}  (${fmt(1e6 / full)}/CPU-s; target 1,200/s = ${us(1e6 / 1200)})`);
  lines.push(`    HTTP round trip                            ${us(base)}`);
  lines.push(`    Hono app: middleware, zod, deps, JSON      ${us(full - base - core)}   (refresh - hello - refresh-core)`);
  lines.push(`    refreshSession core                        ${us(core)}`);
  lines.push(`      RS256 access-token signing               ${us(sign)}`);
  lines.push(`      SessionStore.rotate: DO RPC + SQL        ${us(rotate)}   (a read-only DO RPC alone: ${us(net("do-rpc-read"))})`);
  lines.push(`      rest, by difference                      ${us(core - sign - rotate)}`);
  lines.push("  signing algorithm trade-off (sign: keyring + jose SignJWT; verify: core verifyAccessToken, cached key)");
  lines.push(
    table([
      ["  alg", "refresh/CPU-s", "sign", "verify"],
      ...ALGORITHMS.map((alg) => [
        `  ${alg}`,
        fmt(perCpuSecond(refresh[alg])),
        us(net(`sign-access-token (${alg})`)),
        us(net(`verify-access-token (${alg})`)),
      ]),
    ]).split("\n").filter((line, i) => i !== 1).join("\n"),
  );
  const withoutHash = net("sign-in-without-argon2");
  const hash = cpuUs(argon2) - base;
  lines.push(`  sign-in through the api worker               ${us(cpuUs(signIn))}`);
  lines.push(`    argon2id verify (argon2-verify - hello)    ${us(hash)}`);
  lines.push(`    everything else (sign-in-without-argon2)   ${us(withoutHash)}, of which:`);
  lines.push(`      4 RateLimiter DO RPCs (4 × consume)      ≈ ${us(4 * net("rate-limit-consume"))}`);
  lines.push(`      D1 user read                             ≈ ${us(net("get-user-by-email"))}   (and 2 D1 writes: user update, audit event)`);
  lines.push(`      session create (≈ one DO write)          ≈ ${us(rotate)}`);
  lines.push(`      RS256 signing                            ≈ ${us(sign)}`);
  lines.push(
    `    => sign-in / argon2 if these costs simply added: ${fmt((hash + base) / (hash + withoutHash + base), 2)}x ` +
      `(measured: ${fmt(ratio(perCpuSecond(signIn), perCpuSecond(argon2)), 2)}x per CPU-s)`,
  );
  return lines;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
