// Starts the local Plinto stack: secrets in .dev.vars, D1 migrations, `wrangler dev`, a seeded demo tenant.
// Used by `npm start` (scripts/start.mjs) and by the end-to-end tests (test/e2e).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEV_DATABASE_URL, preparePostgresDatabase, writePostgresConfig } from "./postgres-config.mjs";

const root = path.resolve(import.meta.dirname, "..");
// Run wrangler with this same Node (22, from the `node` devDependency) whatever PATH says.
const wranglerJs = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");

/** Reads .dev.vars, adding any missing secret with a fresh random value. */
export function ensureDevVars(file = path.join(root, ".dev.vars")) {
  const vars = existsSync(file) ? Object.fromEntries(
    readFileSync(file, "utf8").split("\n").filter((line) => line.includes("=")).map((line) => {
      const index = line.indexOf("=");
      return [line.slice(0, index).trim(), line.slice(index + 1).trim()];
    }),
  ) : {};
  let changed = false;
  if (!vars.OPERATOR_KEY) {
    vars.OPERATOR_KEY = `op_${randomBytes(32).toString("base64url")}`;
    changed = true;
  }
  if (!vars.KEY_ENCRYPTION_SECRET) {
    vars.KEY_ENCRYPTION_SECRET = randomBytes(48).toString("base64url");
    changed = true;
  }
  if (changed) {
    writeFileSync(file, `${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join("\n")}\n`, { mode: 0o600 });
  }
  return vars;
}

function run(args, options = {}) {
  const result = spawnSync(process.execPath, [wranglerJs, ...args], { cwd: root, encoding: "utf8", env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" }, ...options });
  if (result.status !== 0) throw new Error(`wrangler ${args.join(" ")} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function waitForHealth(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/health`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the api worker did not answer ${url}/health within ${timeoutMs} ms`);
}

/** Creates the demo tenant once; its secret key is kept in the persist folder because it is shown only once. */
async function seedDemoTenant(url, operatorKey, stateFile, slug) {
  if (existsSync(stateFile)) {
    const saved = JSON.parse(readFileSync(stateFile, "utf8"));
    const check = await fetch(`${url}/t/${saved.slug}/.well-known/jwks.json`);
    if (check.ok) return saved;
  }
  const response = await fetch(`${url}/api/v1/operator/tenants`, {
    method: "POST",
    headers: { Authorization: `Bearer ${operatorKey}`, "Content-Type": "application/json" },
    body: JSON.stringify({ slug, name: "Demo", allowed_origins: [url, "http://localhost:3000", "http://localhost:4321"] }),
  });
  if (!response.ok) throw new Error(`seeding the demo tenant failed: ${response.status} ${await response.text()}`);
  const body = await response.json();
  const seeded = { slug, issuer: body.tenant.issuer, secretKey: body.secret_key.secret };
  writeFileSync(stateFile, JSON.stringify(seeded, null, 2), { mode: 0o600 });
  return seeded;
}

function startWrangler(args, quiet, env = {}) {
  return spawn(process.execPath, [wranglerJs, "dev", ...args, "--ip", "localhost", "--show-interactive-dev-session=false"], {
    cwd: root,
    stdio: quiet ? "ignore" : "inherit",
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...env },
    detached: process.platform !== "win32",
  });
}

function stopper(children) {
  return () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        child.kill("SIGTERM");
      }
    }
  };
}

const API_CONFIG = "wrangler.toml";
const WEBHOOKS_CONFIG = "workers/webhooks/wrangler.toml";

/**
 * Local webhook delivery. In a multi-config session wrangler reads .dev.vars and applies `--var` for the
 * first worker only; the others take secrets and var overrides from its environment. So the consumer gets
 * the api worker's KEY_ENCRYPTION_SECRET (it opens the endpoints' signing secrets) from there, and both
 * workers allow http receivers on 127.0.0.1/localhost: `--var` for the api worker (saving an endpoint),
 * the environment for the consumer (delivering). Honoured only while PLINTO_ENV is development.
 */
const ALLOW_LOCAL_RECEIVERS = ["--var", "WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:true"];
const webhooksDevEnv = (vars) => ({ KEY_ENCRYPTION_SECRET: vars.KEY_ENCRYPTION_SECRET, WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: "true" });

/**
 * Applies migrations, starts the api worker (`wrangler dev` on `port`, local state in `persistTo`)
 * with the webhooks queue consumer in the same session (`-c wrangler.toml -c workers/webhooks/wrangler.toml`:
 * the first config is served on the port; the local `WEBHOOKS` queue connects the two), and the
 * edge-verify worker on `edgePort` beside it (a second `wrangler dev` session, joined to the first
 * through wrangler's local dev registry: its service and Durable Object bindings reach the api worker). Resolves when both are healthy and the demo tenant exists.
 * With `postgres`, the api worker and the consumer store their data in PostgreSQL through a Hyperdrive
 * binding (database `postgresUrl`, created and migrated first) instead of D1.
 */
export async function startStack({
  port = 8787,
  edgePort = port + 1,
  persistTo = path.join(root, ".wrangler", "state"),
  slug = "demo",
  quiet = false,
  postgres = false,
  postgresUrl = DEV_DATABASE_URL,
} = {}) {
  const vars = ensureDevVars();
  mkdirSync(persistTo, { recursive: true });
  // D1 is migrated either way: the dev mailbox lives there.
  run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], { stdio: quiet ? "pipe" : "inherit" });
  const configs = [API_CONFIG, WEBHOOKS_CONFIG];
  if (postgres) await preparePostgresDatabase(postgresUrl);
  const config = configs.flatMap((file) => ["-c", postgres ? path.relative(root, writePostgresConfig(postgresUrl, file)) : file]);
  const url = `http://localhost:${port}`;
  const edgeUrl = `http://localhost:${edgePort}`;
  const api = startWrangler([...config, ...ALLOW_LOCAL_RECEIVERS, "--port", String(port), "--persist-to", persistTo], quiet, webhooksDevEnv(vars));
  const children = [api];
  const stop = stopper(children);
  try {
    await waitForHealth(url, api, 90_000);
    const edge = startWrangler(
      ["-c", "workers/edge-verify/wrangler.toml", "--port", String(edgePort), "--persist-to", persistTo, "--var", `PLINTO_ORIGIN:${url}`],
      quiet,
    );
    children.push(edge);
    await waitForHealth(edgeUrl, edge, 90_000);
    const demoFile = path.join(persistTo, postgres ? "plinto-demo-postgres.json" : "plinto-demo.json");
    const demo = await seedDemoTenant(url, vars.OPERATOR_KEY, demoFile, slug);
    return { url, edgeUrl, child: api, children, stop, operatorKey: vars.OPERATOR_KEY, demo };
  } catch (error) {
    stop();
    throw error;
  }
}
