import postgres, { type Sql } from "postgres";

/**
 * A postgres.js client for one Workers request. Hyperdrive pools the real
 * database connections, so a client per request is cheap; its sockets belong
 * to that request and must not be used by another.
 *
 * - `max: 1`: one connection per request. Requests here run their queries
 *   one after another (transactions hold their connection anyway), and where
 *   Hyperdrive does not pool (local development and tests connect straight to
 *   Postgres) five per request ran the server out of connections.
 * - The worker closes the client (`Storage.close`, i.e. `end()`) once the
 *   response body is sent and the request's `waitUntil` work has settled
 *   (workers/api/middleware/request-lifecycle.ts), as Cloudflare's Hyperdrive
 *   guide does with `ctx.waitUntil(sql.end())`. Left open, clients piled up
 *   in local development and tests, where nothing pools, until Postgres ran
 *   out of connections.
 * - `fetch_types: false` skips a catalogue round trip (no array or custom
 *   types here); prepared statements stay on, as Hyperdrive's caching expects.
 */
export function connectPostgres(connectionString: string, options: { max?: number } = {}): Sql {
  return postgres(connectionString, { max: options.max ?? 1, connect_timeout: 5, fetch_types: false, onnotice: () => {} });
}
