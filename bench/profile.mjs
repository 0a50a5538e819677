#!/usr/bin/env node
// CPU profile of one bench scenario, taken through workerd's DevTools
// inspector while the scenario runs, and summarised by function and by source
// file (mapped back through the bundle's source map). For finding where the
// time of a route goes; not part of `npm run bench`.
//
//   node_modules/.bin/node bench/profile.mjs refresh-RS256 [seconds]   (Node 22, as wrangler needs)
//   scenarios: hello, argon2, sign-in, refresh-RS256, refresh-ES256, refresh-EdDSA
import { readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import path from "node:path";
import { findWorkerdPids } from "./lib/cpu.mjs";
import { runScenario } from "./lib/load.mjs";
import {
  apiClient,
  argon2Scenario,
  helloScenario,
  refreshScenario,
  setupTenant,
  signInScenario,
} from "./lib/scenarios.mjs";
import { applyD1Migrations, buildBundle, readApiConfig, OUT_DIR, ROOT, startServer } from "./lib/server.mjs";

const SCENARIOS = ["hello", "argon2", "sign-in", "refresh-RS256", "refresh-ES256", "refresh-EdDSA"];
const which = process.argv[2] ?? "refresh-RS256";
if (!SCENARIOS.includes(which)) {
  console.error(`usage: node bench/profile.mjs <${SCENARIOS.join("|")}> [seconds]`);
  process.exit(2);
}
const durationMs = Number(process.argv[3] ?? 5) * 1000;
/** Isolates worth profiling: the api worker (with its Durable Objects) and miniflare's D1 and KV simulators. */
const TARGETS = ["core:user:api", "d1:db", "kv:ns"];
const SAMPLING_INTERVAL_US = 500;

async function main() {
  const rawConfig = await readApiConfig();
  const { modules } = buildBundle();
  const { mf, url } = await startServer(modules, rawConfig, { inspectorPort: 0 });
  try {
    await applyD1Migrations(mf, rawConfig);
    const api = apiClient(url);
    const alg = which.startsWith("refresh-") ? which.slice("refresh-".length) : "RS256";
    const tenant = await setupTenant(api, alg, 16);
    const options = { concurrency: which === "argon2" || which === "sign-in" ? 4 : 16, warmupMs: 1000, durationMs };
    const scenario =
      which === "hello"
        ? helloScenario(options)
        : which === "argon2"
          ? argon2Scenario(options)
          : which === "sign-in"
            ? signInScenario(tenant, options)
            : refreshScenario(tenant, options);

    // Warm up first, unprofiled, then profile a second run.
    await runScenario(url, { ...scenario, durationMs: 1000, warmupMs: 0 }, []);
    const inspector = new URL((await mf.getInspectorURL()).href.replace("ws:", "http:"));
    const sessions = await Promise.all(TARGETS.map((id) => openSession(inspector, id)));
    for (const s of sessions) {
      await s.send("Profiler.enable");
      await s.send("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
      await s.send("Profiler.start");
    }
    const result = await runScenario(url, { ...scenario, warmupMs: 0 }, findWorkerdPids());
    const profiles = [];
    for (const s of sessions) {
      const { profile } = await s.send("Profiler.stop");
      profiles.push({ id: s.id, profile });
      s.close();
    }
    console.log(
      `${scenario.name}: ${result.ok} ok, ${result.nonOk} non-200, ${result.rps.toFixed(0)} req/s, ` +
        `workerd CPU ${result.cpu.workerd?.toFixed(2)} s in ${result.cpu.wall.toFixed(2)} s (profiling slows it down)`,
    );
    const sourceMap = loadSourceMap();
    for (const { id, profile } of profiles) summarise(id, profile, result.ok, sourceMap);
  } finally {
    await mf.dispose();
  }
}

async function openSession(inspector, id) {
  const ws = new WebSocket(new URL(`/${id}`, inspector).href.replace("http:", "ws:"));
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open inspector session for ${id}`));
  });
  let nextId = 1;
  const pending = new Map();
  ws.onmessage = (event) => {
    const message = JSON.parse(event.data);
    if (message.id && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.error) reject(new Error(`${id}: ${message.error.message}`));
      else resolve(message.result);
    }
  };
  return {
    id,
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        const callId = nextId++;
        pending.set(callId, { resolve, reject });
        ws.send(JSON.stringify({ id: callId, method, params }));
      }),
    close: () => ws.close(),
  };
}

function loadSourceMap() {
  try {
    const payload = JSON.parse(readFileSync(path.join(OUT_DIR, "api-with-baselines.js.map"), "utf8"));
    return new SourceMap(payload);
  } catch {
    return null;
  }
}

/** "file:line" in the original sources for a frame of the bundle, else the frame's own url. */
function locate(frame, sourceMap) {
  if (frame.url.endsWith("api-with-baselines.js") && sourceMap) {
    const entry = sourceMap.findEntry(frame.lineNumber, frame.columnNumber);
    if (entry?.originalSource) {
      const file = path.relative(ROOT, path.resolve(OUT_DIR, entry.originalSource.replace(/^file:\/\//, "")));
      return { file, where: `${file}:${entry.originalLine + 1}` };
    }
  }
  const file = frame.url ? frame.url.replace(/^.*\//, "") : "(native)";
  return { file, where: frame.url ? `${file}:${frame.lineNumber + 1}` : "(native)" };
}

/** Groups a source file into a package or project directory, for the by-area table. */
function area(file) {
  const nm = file.lastIndexOf("node_modules/");
  if (nm !== -1) {
    const rest = file.slice(nm + "node_modules/".length).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const parts = file.split("/");
  return parts.length > 2 ? parts.slice(0, 3).join("/") : file;
}

/**
 * Components a sample is charged to: the innermost frame on the sample's stack
 * that matches a rule decides (so WebCrypto's native sign() called by jose
 * counts as JWT signing, SQLite's native exec() called by the session store
 * counts as the session store).
 */
const COMPONENTS = [
  ["argon2id (WASM)", (f, file) => /adapters\/passwords/.test(file) || f.url.startsWith("wasm")],
  ["JWT signing (jose + WebCrypto sign)", (f, file) => /jose\//.test(file) || /tokens\/access-token/.test(file)],
  ["SHA-256 of tokens/keys", (f, file) => /crypto\/secrets/.test(file)],
  ["SessionStore DO (SQLite)", (f, file) => /durable-objects\/session-store/.test(file)],
  ["RateLimiter DO (SQLite)", (f, file) => /durable-objects\/rate-limiter/.test(file)],
  ["DO stubs / RPC (adapters)", (f, file) => /adapters\/durable-object/.test(file)],
  ["D1 (drizzle + d1 client)", (f, file) => /packages\/storage|drizzle|node_modules\/src\/|d1-api/.test(file + f.url)],
  ["hono + zod (routing, validation, headers)", (f, file) => /hono|zod/.test(file)],
  ["core logic", (f, file) => /packages\/core/.test(file)],
  ["api worker glue", (f, file) => /workers\/api|bench\/workers/.test(file)],
];

function summarise(id, profile, requests, sourceMap) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  const byArea = new Map();
  const byComponent = new Map();
  let total = 0;
  let idle = 0;
  const keyOf = (node) => {
    const frame = node.callFrame;
    const { file, where } = locate(frame, sourceMap);
    return { key: `${frame.functionName || "(anonymous)"}  ${where}`, file };
  };
  const keys = new Map();
  const keyFor = (node) => {
    let k = keys.get(node.id);
    if (!k) keys.set(node.id, (k = keyOf(node)));
    return k;
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000; // ms
    const node = byId.get(profile.samples[i]);
    if (!node) continue;
    const name = node.callFrame.functionName;
    total += dt;
    if (name === "(idle)") {
      idle += dt;
      continue;
    }
    const { key, file } = keyFor(node);
    self.set(key, (self.get(key) ?? 0) + dt);
    const a = name.startsWith("(") ? name : area(file);
    byArea.set(a, (byArea.get(a) ?? 0) + dt);
    let component = name.startsWith("(") ? name : "other (runtime, native, unattributed)";
    if (!name.startsWith("(")) {
      outer: for (let n = node.id; n !== undefined; n = parent.get(n)) {
        const frame = byId.get(n).callFrame;
        const { file: f } = keyFor(byId.get(n));
        for (const [label, match] of COMPONENTS) {
          if (match(frame, frame.url ? f : "")) {
            component = label;
            break outer;
          }
        }
      }
    }
    byComponent.set(component, (byComponent.get(component) ?? 0) + dt);
    const seen = new Set();
    for (let n = node.id; n !== undefined; n = parent.get(n)) {
      const k = keyFor(byId.get(n)).key;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  }
  const busy = total - idle;
  const perRequest = (msTotal) => ((msTotal / requests) * 1000).toFixed(0).padStart(6) + " µs/req";
  const pct = (v) => ((100 * v) / busy).toFixed(1).padStart(5) + "%";
  const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);
  console.log(`\n=== ${id}: busy ${busy.toFixed(0)} ms of ${total.toFixed(0)} ms sampled, ${perRequest(busy)}`);
  console.log("-- by component (innermost matching frame)");
  for (const [k, v] of top(byComponent, 20)) console.log(`${pct(v)} ${perRequest(v)}  ${k}`);
  console.log("-- self time by area");
  for (const [k, v] of top(byArea, 15)) console.log(`${pct(v)} ${perRequest(v)}  ${k}`);
  console.log("-- self time by function");
  for (const [k, v] of top(self, 25)) console.log(`${pct(v)} ${perRequest(v)}  ${k}`);
  console.log("-- inclusive time by function");
  for (const [k, v] of top(inclusive, 40)) console.log(`${pct(v)} ${perRequest(v)}  ${k}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
