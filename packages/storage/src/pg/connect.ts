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
 * - The client is never closed by hand, and has no idle timeout: work deferred
 *   with `waitUntil` may still query after the response, and `end()` refuses
 *   later queries; closing in workerd (by `end()` or by postgres.js's idle
 *   timer) made postgres.js's socket shim reject "This socket has been closed"
 *   with nobody listening. workerd closes a request's sockets itself once the
 *   request and its `waitUntil` work are done.
 * - `fetch_types: false` skips a catalogue round trip (no array or custom
 *   types here); prepared statements stay on, as Hyperdrive's caching expects.
 */
export function connectPostgres(connectionString: string, options: { max?: number } = {}): Sql {
  return postgres(connectionString, { max: options.max ?? 1, connect_timeout: 5, fetch_types: false, onnotice: () => {} });
}
