// wrk as a load generator (when installed: `apt-get install -y wrk`): one
// thread, N keep-alive connections, closed loop, bounded by time. A Lua
// script (wrk-tokens.lua) can put a different bearer token on each request.
// Returns the same shape as load.mjs's results (ok, nonOk, rps, p50/p95/p99,
// cpu), plus wrk's own CPU time.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { cpuDelta, cpuSample } from "./cpu.mjs";

const SCRIPT = path.join(import.meta.dirname, "wrk-tokens.lua");

export function hasWrk() {
  return spawnSync("wrk", ["--version"], { encoding: "utf8" }).error === undefined;
}

/**
 * @param {string} baseUrl
 * @param {object} options
 * @param {string} options.name
 * @param {string} [options.method]
 * @param {string} options.path
 * @param {Record<string,string>} [options.headers]
 * @param {string} [options.tokensFile]   one token a line
 * @param {"repeat"|"epoch"} [options.cycle]
 * @param {number} [options.epochBase]
 * @param {number} options.connections
 * @param {number} options.durationSeconds
 * @param {number[]} workerdPids
 */
export async function runWrk(baseUrl, options, workerdPids) {
  const env = {
    ...process.env,
    BENCH_METHOD: options.method ?? "GET",
    BENCH_PATH: options.path,
    BENCH_HEADERS: Object.entries(options.headers ?? {})
      .map(([k, v]) => `${k}: ${v}`)
      .join("\n"),
    BENCH_TOKENS: options.tokensFile ?? "",
    BENCH_CYCLE: options.cycle ?? "repeat",
    BENCH_EPOCH_BASE: String(options.epochBase ?? 0),
  };
  const args = ["-t1", `-c${options.connections}`, `-d${options.durationSeconds}s`, "--timeout", "10s", "-s", SCRIPT, baseUrl];
  // `times` after wrk exits prints the CPU time of the shell's children (wrk).
  const before = cpuSample(workerdPids);
  const { code, stdout, stderr } = await new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", 'wrk "$@"; status=$?; times; exit $status', "sh", ...args], { env });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (err += chunk));
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
  });
  const cpu = cpuDelta(before, cpuSample(workerdPids));
  const line = /BENCH_JSON (\{.*\})/.exec(stdout)?.[1];
  if (code !== 0 || !line) throw new Error(`wrk failed (${code}): ${stdout}\n${stderr}`);
  const result = JSON.parse(line);
  const times = stdout.trim().split("\n").slice(-1)[0] ?? "";
  const wrkCpu = [...times.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, m) => sum + Number(m[1]) * 60 + Number(m[2]), 0);
  const socketErrors = result.errors.connect + result.errors.read + result.errors.write + result.errors.timeout;
  const nonOk = result.non200 + socketErrors;
  const wallMs = result.duration_us / 1000;
  return {
    name: options.name,
    tool: "wrk",
    concurrency: options.connections,
    requests: result.requests,
    ok: result.requests - result.non200,
    nonOk,
    statuses: { non200: result.non200, codes: result.statuses.trim(), socketErrors },
    failures: [],
    stoppedClients: 0,
    wallMs,
    rps: (result.requests - result.non200) / (wallMs / 1000),
    p50: result.latency_us.p50 / 1000,
    p95: result.latency_us.p95 / 1000,
    p99: result.latency_us.p99 / 1000,
    wraps: result.wraps,
    tokens: result.tokens,
    // `other` from cpu.mjs includes wrk: take it out so the columns stay comparable with load.mjs's.
    cpu: { ...cpu, other: cpu.other === null ? null : Math.max(0, cpu.other - wrkCpu), client: wrkCpu },
  };
}
