#!/usr/bin/env node
// Moves one tenant between two running Plinto deployments (e.g. D1 -> Postgres):
// streams GET {from}/api/v1/operator/tenants/{slug}/export into
// POST {to}/api/v1/operator/tenants/import. Nothing touches the disk unless --out is given.
// See docs/tenant-migration.md.
//
//   FROM_OPERATOR_KEY=… TO_OPERATOR_KEY=… node scripts/migrate-tenant.mjs --from http://localhost:8787 --to http://localhost:8788 --slug demo
//   FROM_OPERATOR_KEY=… node scripts/migrate-tenant.mjs --from … --slug demo --out demo.ndjson     (export to a file, mode 0600)
//   TO_OPERATOR_KEY=… node scripts/migrate-tenant.mjs --to … --in demo.ndjson                      (import a file)
//
// Operator keys come from the environment only (never argv: it shows in `ps` and shell history).
import { createReadStream, createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";

const NDJSON = "application/x-ndjson";

function usage(message) {
  console.error(`${message}\nusage: migrate-tenant.mjs [--from URL --slug SLUG] [--to URL] [--out FILE | --in FILE]`);
  process.exit(2);
}

const { values: args } = parseArgs({
  options: { from: { type: "string" }, to: { type: "string" }, slug: { type: "string" }, out: { type: "string" }, in: { type: "string" } },
});
if (args.in && (args.from || args.out)) usage("--in replaces --from and --out");
if (!args.in && !(args.from && args.slug)) usage("give --from and --slug (or --in)");
if (!args.to && !args.out) usage("give --to or --out");

function operatorKey(name) {
  const key = process.env[name];
  if (!key) usage(`${name} is not set`);
  return key;
}

/** The export's body stream; fails on a non-200 with the server's problem code (never the body of a success). */
async function openExport() {
  const url = new URL(`/api/v1/operator/tenants/${encodeURIComponent(args.slug)}/export`, args.from);
  const response = await fetch(url, { headers: { Authorization: `Bearer ${operatorKey("FROM_OPERATOR_KEY")}` } });
  if (response.status !== 200 || !response.body) throw new Error(`export from ${url.origin} failed: ${response.status} ${await response.text()}`);
  return response.body;
}

async function importInto(body) {
  const url = new URL("/api/v1/operator/tenants/import", args.to);
  const response = await fetch(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${operatorKey("TO_OPERATOR_KEY")}`, "Content-Type": NDJSON },
    body,
    duplex: "half",
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`import into ${url.origin} failed: ${response.status} ${text}`);
  const { tenant, rows } = JSON.parse(text);
  console.error(`imported tenant ${tenant.slug} (${rows} rows) into ${url.origin}`);
}

async function main() {
  const source = args.in ? Readable.toWeb(createReadStream(args.in)) : await openExport();
  if (args.out) {
    await pipeline(Readable.fromWeb(source), createWriteStream(args.out, { mode: 0o600, flags: "wx" }));
    console.error(`wrote ${args.out} (mode 0600): it holds password hashes and encrypted keys; delete it when done`);
    return;
  }
  await importInto(source);
}

main().catch((error) => {
  console.error(error.message);
  process.exit(1);
});
