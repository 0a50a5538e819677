// Builds the bench worker with `wrangler deploy --dry-run` and serves the bundle
// on workerd through miniflare's programmatic API, on a direct socket (no
// wrangler dev proxy, no miniflare entry worker in front of the api worker).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");
export const API_CONFIG = path.join(ROOT, "wrangler.toml");
export const BENCH_ENTRY = path.join(ROOT, "bench", "workers", "api-with-baselines.ts");
export const OUT_DIR = path.join(ROOT, "bench", "out", "bundle");

/** Secrets for this throwaway local instance only. */
export const OPERATOR_KEY = "op_bench_operator_key_0123456789abcdef";
const KEY_ENCRYPTION_SECRET = "bench-key-encryption-secret-0123456789abcdef";

/**
 * The api worker's own wrangler config, parsed (bindings, compatibility date
 * and flags, DO migrations). The bench bundles and serves the bench entry with
 * exactly this config; only `main` (and the worker name) are overridden on the
 * wrangler command line, so the bench can never drift from the real wiring.
 */
export async function readApiConfig() {
  return readWranglerConfig(API_CONFIG);
}

/** Any worker's wrangler config, parsed (e.g. workers/edge-verify/wrangler.toml). */
export async function readWranglerConfig(config) {
  const { experimental_readRawConfig } = await import("wrangler");
  return experimental_readRawConfig({ config }).rawConfig;
}

/**
 * miniflare options for a worker that binds other workers of the same
 * miniflare instance (`[[services]]`, `[[durable_objects.bindings]]` with
 * `script_name`, KV), read from its wrangler config. `scriptNames` maps the
 * deployed script names in that config (e.g. "plinto-api") to the miniflare
 * worker names (e.g. "api"). Served on its own direct socket like the api worker.
 */
export function boundWorkerOptions(name, modules, rawConfig, { scriptNames = {}, vars = {} } = {}) {
  const scriptName = (script) => scriptNames[script] ?? script;
  const durableObjects = {};
  for (const binding of rawConfig.durable_objects?.bindings ?? []) {
    durableObjects[binding.name] = {
      className: binding.class_name,
      ...(binding.script_name ? { scriptName: scriptName(binding.script_name) } : {}),
    };
  }
  return {
    name,
    compatibilityDate: rawConfig.compatibility_date,
    compatibilityFlags: rawConfig.compatibility_flags,
    modulesRoot: path.dirname(modules[0].path),
    modules,
    bindings: { ...(rawConfig.vars ?? {}), ...vars },
    kvNamespaces: Object.fromEntries((rawConfig.kv_namespaces ?? []).map((kv) => [kv.binding, kv.id])),
    serviceBindings: Object.fromEntries((rawConfig.services ?? []).map((s) => [s.binding, scriptName(s.service)])),
    durableObjects,
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
}

/**
 * `wrangler deploy --dry-run bench/workers/api-with-baselines.ts --config wrangler.toml
 * --outdir bench/out/bundle`: the api worker's config and bundling, the bench entry.
 * Another worker can be bundled the same way by passing its entry, config, name
 * and output folder (bench/edge.mjs bundles the edge-verify worker's bench entry).
 */
export function buildBundle({ entry = BENCH_ENTRY, config = API_CONFIG, name = "plinto-api-bench", outDir = OUT_DIR } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  const wranglerBin = path.join(ROOT, "node_modules", "wrangler", "bin", "wrangler.js");
  const args = [wranglerBin, "deploy", "--dry-run", entry, "--config", config, "--name", name, "--outdir", outDir];
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
  if (result.status !== 0) {
    throw new Error(`wrangler deploy --dry-run failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  const sizeLine = /Total Upload: [^\n]*/.exec(result.stdout)?.[0] ?? "";
  const mainModule = `${path.basename(entry, path.extname(entry))}.js`;
  return { sizeLine, modules: bundleModules(outDir, mainModule) };
}

const MODULE_TYPES = {
  ".js": "ESModule",
  ".mjs": "ESModule",
  ".wasm": "CompiledWasm",
  ".txt": "Text",
  ".html": "Text",
  ".sql": "Text",
  ".bin": "Data",
};

/** The bundle's modules, main module first, for miniflare's `modules` option. */
function bundleModules(outDir, mainModule) {
  const files = readdirSync(outDir).filter((file) => MODULE_TYPES[path.extname(file)] && !file.endsWith(".map"));
  if (!files.includes(mainModule)) throw new Error(`bundle lacks ${mainModule}: ${files.join(", ")}`);
  files.sort((a, b) => (a === mainModule ? -1 : b === mainModule ? 1 : a.localeCompare(b)));
  return files.map((file) => ({ type: MODULE_TYPES[path.extname(file)], path: path.join(outDir, file) }));
}

/**
 * Starts workerd (via miniflare) with the bundle and wrangler.toml's
 * bindings: D1, the KV namespaces, the queue producers, the SQLite-backed Durable Objects, vars,
 * and the two secrets. Storage is in memory, so every run starts empty.
 * Returns the direct socket URL (workerd's own HTTP socket for this worker).
 *
 * Options: `vars` override wrangler.toml's vars of the api worker;
 * `hyperdrives` adds Hyperdrive bindings (bench/storage.mjs binds HYPERDRIVE);
 * `extraWorkers` (miniflare worker options, e.g. from `boundWorkerOptions`)
 * run in the same workerd beside the api worker (named "api"), and `urls`
 * then holds the direct socket URL of every worker that has one.
 */
export async function startServer(modules, rawConfig, { inspectorPort, vars = {}, extraWorkers = [], hyperdrives } = {}) {
  const { Miniflare, Log, LogLevel, convertV4MiniflareOptions } = await import("miniflare");
  const durableObjects = {};
  const sqliteClasses = new Set((rawConfig.migrations ?? []).flatMap((m) => m.new_sqlite_classes ?? []));
  for (const binding of rawConfig.durable_objects?.bindings ?? []) {
    durableObjects[binding.name] = { className: binding.class_name, useSQLite: sqliteClasses.has(binding.class_name) };
  }
  const worker = {
    name: "api",
    compatibilityDate: rawConfig.compatibility_date,
    compatibilityFlags: rawConfig.compatibility_flags,
    modulesRoot: path.dirname(modules[0].path),
    modules,
    bindings: { ...(rawConfig.vars ?? {}), ...vars, OPERATOR_KEY, KEY_ENCRYPTION_SECRET },
    d1Databases: Object.fromEntries((rawConfig.d1_databases ?? []).map((db) => [db.binding, db.database_id])),
    kvNamespaces: Object.fromEntries((rawConfig.kv_namespaces ?? []).map((kv) => [kv.binding, kv.id])),
    // Queue producers (WEBHOOKS): messages are accepted and kept; no consumer runs in the bench.
    queueProducers: Object.fromEntries((rawConfig.queues?.producers ?? []).map((q) => [q.binding, q.queue])),
    durableObjects,
    // `{ HYPERDRIVE: "postgres://…" }` puts the api worker's storage on Postgres (workers/api/storage.ts).
    ...(hyperdrives ? { hyperdrives } : {}),
    // workerd listens for this worker on its own socket: requests reach the
    // api worker's fetch handler without miniflare's entry worker in between.
    unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
  };
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      log: new Log(LogLevel.WARN),
      // No Request.cf download (this machine has no internet; it only costs a warning).
      cf: false,
      // Only with --profile: workerd's DevTools inspector, for CPU profiles.
      inspectorPort,
      workers: [worker, ...extraWorkers],
    }),
  );
  await mf.ready;
  const url = await mf.unsafeGetDirectURL("api");
  const urls = { api: url };
  for (const extra of extraWorkers) {
    if (extra.unsafeDirectSockets?.length) urls[extra.name] = await mf.unsafeGetDirectURL(extra.name);
  }
  return { mf, url, urls };
}

/** Applies migrations/d1/*.sql in name order through the D1 binding. */
export async function applyD1Migrations(mf, rawConfig) {
  const { unstable_splitSqlQuery } = await import("wrangler");
  const dbConfig = rawConfig.d1_databases?.[0];
  if (!dbConfig) throw new Error("wrangler.toml has no D1 database");
  const dir = path.resolve(ROOT, dbConfig.migrations_dir ?? "migrations");
  const db = await mf.getD1Database(dbConfig.binding);
  const files = readdirSync(dir).filter((file) => file.endsWith(".sql")).sort();
  let statements = 0;
  for (const file of files) {
    const sql = readFileSync(path.join(dir, file), "utf8").replaceAll("--> statement-breakpoint", "");
    const parts = unstable_splitSqlQuery(sql).filter((part) => part.trim() !== "");
    await db.batch(parts.map((part) => db.prepare(part)));
    statements += parts.length;
  }
  return { files, statements };
}
