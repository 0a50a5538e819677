// A throwaway PostgreSQL database for one test or bench run: created empty, migrated with
// migrations/pg (drizzle-kit's SQL, split at its statement breakpoints), dropped afterwards.
// Runs in Node. The server is the local one at 127.0.0.1:5432 (user postgres, trust auth).
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

// Node's own resolution: under vitest's module runner a plain import picks postgres.js's workerd build.
const postgres = createRequire(import.meta.url)("postgres");

const root = path.resolve(import.meta.dirname, "..", "..");
const SERVER = process.env.PLINTO_PG_SERVER ?? "postgres://postgres:postgres@127.0.0.1:5432";

/** The statements of every migration in migrations/pg, in order. */
export function pgMigrationStatements(dir = path.join(root, "migrations", "pg")) {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".sql"))
    .sort()
    .flatMap((name) => readFileSync(path.join(dir, name), "utf8").split("--> statement-breakpoint"))
    .map((statement) => statement.trim())
    .filter(Boolean);
}

/** A fresh database name; the connection string wrangler/miniflare accept (they want a password in it). */
export function newDatabase(prefix = "plinto_test") {
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  return { name, url: `${SERVER}/${name}` };
}

/**
 * Settings for a throwaway test database (`createDatabase(name, { forTests: true })`):
 * - `idle_session_timeout`: the server closes a connection idle this long. The worker opens
 *   one client per request and never ends it (packages/storage/src/pg/connect.ts); on
 *   Cloudflare, Hyperdrive pools behind it, but tests connect straight to Postgres and a test
 *   file's finished requests kept up to ~70 idle backends open until the file's runtime went
 *   away, near the server's max_connections (100) whenever runs share the server. 60 s is far
 *   longer than any request waits between two queries (3 s cut a request stalled under load).
 * - `synchronous_commit = off`: commits do not wait for the WAL flush; the data is dropped anyway.
 * Benchmarks keep the server's defaults, so their figures stay representative.
 */
const TEST_SETTINGS = ["SET idle_session_timeout = '60s'", "SET synchronous_commit = off"];

export async function createDatabase(name, { forTests = false } = {}) {
  const admin = postgres(`${SERVER}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    if (forTests) for (const setting of TEST_SETTINGS) await admin.unsafe(`ALTER DATABASE "${name}" ${setting}`);
  } finally {
    await admin.end();
  }
  const db = postgres(`${SERVER}/${name}`, { max: 1, onnotice: () => {} });
  try {
    await db.begin(async (tx) => {
      for (const statement of pgMigrationStatements()) await tx.unsafe(statement);
    });
  } finally {
    await db.end();
  }
}

export async function dropDatabase(name) {
  const admin = postgres(`${SERVER}/postgres`, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
