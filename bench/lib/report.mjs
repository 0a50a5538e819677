// Report helpers shared by bench/run.mjs, bench/edge.mjs, bench/oauth.mjs and bench/storage.mjs.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..", "..");

/** A fixed-width table: first column left-aligned, the others right-aligned, a rule under the header. */
export function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => String(row[c]).length)));
  return rows
    .map((row, r) =>
      row.map((cell, c) => (c === 0 ? String(cell).padEnd(widths[c]) : String(cell).padStart(widths[c]))).join("  "),
    )
    .flatMap((line, r) => (r === 0 ? [line, "-".repeat(line.length)] : [line]))
    .join("\n");
}

/** What was measured: the commit (and whether the tree was dirty) and the runtime versions. */
export function versions() {
  const read = (pkg) => {
    try {
      return JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, "utf8")).version;
    } catch {
      return "?";
    }
  };
  const git = (...args) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout?.trim() ?? "";
  const dirty = git("status", "--porcelain", "--untracked-files=no").split("\n").filter(Boolean).length;
  const tree = `code: ${git("rev-parse", "--short", "HEAD") || "?"}${dirty ? ` + uncommitted changes in ${dirty} tracked files` : ""}`;
  return `${tree}; node ${process.versions.node}, wrangler ${read("wrangler")}, miniflare ${read("miniflare")}, workerd ${read("workerd")}`;
}

/** A count or rate with thousands separators; "n/a" when not a finite number. */
export const fmt = (n, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "n/a";
/** A latency in ms: more digits the smaller it is. */
export const ms = (n) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0)) : "n/a");
/** a / b, NaN unless both are finite and b > 0. */
export const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : NaN);
/** Requests answered per second of workerd CPU: throughput per core, independent of other load on the machine. */
export const perCpuSecond = (r) => (r.cpu.workerd ? r.ok / r.cpu.workerd : NaN);
/** CPU seconds of a window (a runScenario result r) as % of one core over its wall time. */
export const pctOfWall = (seconds, r) =>
  seconds !== null && Number.isFinite(seconds) ? `${((100 * seconds) / r.cpu.wall).toFixed(0)}%` : "n/a";

/** The machine line of a report: CPUs and the load average before the run. */
export function machineLine(loadBefore) {
  const cpus = os.cpus();
  return `machine: ${cpus.length} × ${cpus[0]?.model ?? "?"}, load avg before run ${loadBefore.map((l) => l.toFixed(2)).join(" ")}`;
}

/** The table of runInterleaved / runScenario results: throughput, latency percentiles, CPU split, req per CPU-s. */
export function resultsTable(results) {
  return table([
    ["scenario", "clients", "ok", "non-200", "req/s", "p50 ms", "p95 ms", "p99 ms", "workerd", "client", "other", "req/CPU-s"],
    ...results.map((r) => [
      r.name,
      r.concurrency,
      r.ok,
      r.nonOk,
      fmt(r.rps),
      ms(r.p50),
      ms(r.p95),
      ms(r.p99),
      pctOfWall(r.cpu.workerd, r),
      pctOfWall(r.cpu.client, r),
      pctOfWall(r.cpu.other, r),
      fmt(perCpuSecond(r)),
    ]),
  ]);
}
