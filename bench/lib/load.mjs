// In-process HTTP load generator: N virtual clients, each on its own
// keep-alive connection, each sending its next request as soon as the previous
// answer is read (closed loop, no pipelining). Bounded by time and by count.
import { createRequire } from "node:module";
import { cpuDelta, cpuSample } from "./cpu.mjs";

// undici is not a direct dependency of the repo; take the copy miniflare (a
// dependency of wrangler) ships with, so the bench needs nothing installed.
const requireFromMiniflare = createRequire(createRequire(import.meta.url).resolve("miniflare"));
const { Pool } = requireFromMiniflare("undici");

/**
 * @typedef {object} Scenario
 * @property {string} name
 * @property {number} concurrency         virtual clients (= connections)
 * @property {number} durationMs          measured window
 * @property {number} [maxRequests]       stop earlier after this many answers
 * @property {number} [warmupMs]          unmeasured run first (same clients)
 * @property {string} [baseUrl]           server of this scenario, when not the run's (bench/storage.mjs: D1 and Postgres workers)
 * @property {(client: number) => {method: string, path: string, headers?: object, body?: string}} request
 * @property {(client: number, status: number, body: string) => boolean} [onResponse]
 *           return false to stop this client (e.g. its refresh chain broke)
 */

/**
 * Runs several scenarios in `rounds` alternating windows (A B C A B C …), each
 * scenario's windows adding up to its `durationMs`, and merges each one's
 * windows. Scenarios compared by a ratio then see the same background load on
 * a shared machine, instead of one getting a quiet minute and the other a busy
 * one. Warm-up runs once, in the first round.
 */
export async function runInterleaved(baseUrl, scenarios, workerdPids, rounds, onWindow = () => {}) {
  const merged = scenarios.map(() => null);
  for (let round = 0; round < rounds; round++) {
    for (const [i, scenario] of scenarios.entries()) {
      const window = {
        ...scenario,
        warmupMs: round === 0 ? scenario.warmupMs : 0,
        durationMs: scenario.durationMs / rounds,
      };
      onWindow(scenario, round);
      merged[i] = mergeResults(merged[i], await measure(scenario.baseUrl ?? baseUrl, window, workerdPids));
    }
  }
  return merged.map(finish);
}

function mergeResults(a, b) {
  if (!a) return b;
  const statuses = { ...a.statuses };
  for (const [k, v] of Object.entries(b.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const add = (x, y) => (x === null || y === null ? null : x + y);
  return {
    ...a,
    requests: a.requests + b.requests,
    ok: a.ok + b.ok,
    nonOk: a.nonOk + b.nonOk,
    statuses,
    failures: [...a.failures, ...b.failures].slice(0, 5),
    stoppedClients: a.stoppedClients + b.stoppedClients,
    wallMs: a.wallMs + b.wallMs,
    latencies: a.latencies.concat(b.latencies),
    cpu: {
      wall: a.cpu.wall + b.cpu.wall,
      workerd: add(a.cpu.workerd, b.cpu.workerd),
      client: a.cpu.client + b.cpu.client,
      other: add(a.cpu.other, b.cpu.other),
    },
  };
}

/** Throughput and latency percentiles of a (possibly merged) result. */
function finish(result) {
  const latencies = Float64Array.from(result.latencies).sort();
  return {
    ...result,
    latencies: undefined,
    rps: result.ok / (result.wallMs / 1000),
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
  };
}

export async function runScenario(baseUrl, scenario, workerdPids) {
  return finish(await measure(baseUrl, scenario, workerdPids));
}

async function measure(baseUrl, scenario, workerdPids) {
  const pool = new Pool(baseUrl, {
    connections: scenario.concurrency,
    pipelining: 1,
    keepAliveTimeout: 60_000,
  });
  try {
    if (scenario.warmupMs) await drive(pool, scenario, scenario.warmupMs, Infinity, false);
    const before = cpuSample(workerdPids);
    const result = await drive(pool, scenario, scenario.durationMs, scenario.maxRequests ?? Infinity, true);
    const after = cpuSample(workerdPids);
    return { ...result, cpu: cpuDelta(before, after) };
  } finally {
    await pool.close();
  }
}

async function drive(pool, scenario, durationMs, maxRequests, record) {
  const latencies = [];
  const statuses = new Map();
  const failures = [];
  let ok = 0;
  let total = 0;
  let stoppedClients = 0;
  const start = performance.now();
  const deadline = start + durationMs;

  async function client(index) {
    while (performance.now() < deadline && total < maxRequests) {
      const { method, path, headers, body } = scenario.request(index);
      const sent = performance.now();
      let status;
      let text;
      try {
        const response = await pool.request({ method, path, headers, body });
        status = response.statusCode;
        text = await response.body.text();
      } catch (error) {
        status = "error";
        text = String(error?.message ?? error);
      }
      const elapsed = performance.now() - sent;
      total += 1;
      if (record) latencies.push(elapsed);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status === 200) ok += 1;
      else if (failures.length < 5) failures.push(`${status} ${text.slice(0, 200)}`);
      const keepGoing = scenario.onResponse ? scenario.onResponse(index, status, text) : true;
      if (!keepGoing) {
        stoppedClients += 1;
        return;
      }
    }
  }

  await Promise.all(Array.from({ length: scenario.concurrency }, (_, i) => client(i)));
  const wallMs = performance.now() - start;
  return {
    name: scenario.name,
    concurrency: scenario.concurrency,
    requests: total,
    ok,
    nonOk: total - ok,
    statuses: Object.fromEntries(statuses),
    failures,
    stoppedClients,
    wallMs,
    latencies,
  };
}

function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}
