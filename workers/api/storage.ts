import type { Storage, TenantTransfer } from "@plinto/core";
import { connectPostgres, createD1Storage, createD1TenantTransfer, createPgStorage, createPgTenantTransfer } from "@plinto/storage";

/** D1 bindings hold no per-request I/O, so each isolate builds their storage once per binding. */
const d1ByBinding = new WeakMap<D1Database, Storage>();

/**
 * Storage for one request, on the backend the bindings pick: `HYPERDRIVE`
 * bound means PostgreSQL, otherwise D1.
 *
 * Postgres lifecycle: a postgres.js client's sockets belong to the request
 * that opened them (Workers forbid I/O objects crossing requests), so every
 * request gets its own client; Hyperdrive pools the real connections to the
 * database. The request lifecycle (middleware/request-lifecycle.ts) closes it
 * once the response and the request's deferred work are done.
 */
export function storageFor(env: Env): Storage {
  if (env.HYPERDRIVE) return createPgStorage(connectPostgres(env.HYPERDRIVE.connectionString));
  let storage = d1ByBinding.get(env.DB);
  if (!storage) {
    storage = createD1Storage(env.DB);
    d1ByBinding.set(env.DB, storage);
  }
  return storage;
}

/** Which backend `storageFor` picks, for /ready. */
export const storageBackend = (env: Env): "postgres" | "d1" => (env.HYPERDRIVE ? "postgres" : "d1");

/** Tenant export/import on the same backend as `storageFor` (operator routes, routes/tenant-transfer.ts). */
export const transferFor = (env: Env): TenantTransfer =>
  env.HYPERDRIVE ? createPgTenantTransfer(connectPostgres(env.HYPERDRIVE.connectionString)) : createD1TenantTransfer(env.DB);
