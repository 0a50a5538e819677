/**
 * Errors that mean "the database cannot be reached or is refusing work", as
 * opposed to a query's own failure: socket errors (Node codes), postgres.js's
 * own connection codes, and SQLSTATE class 08 (connection exception), 53300
 * (too many connections) and 57P01-57P03 (server shutting down or starting).
 */
const DRIVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EPIPE",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);
const SQLSTATES = /^(08...|53300|57P0[123])$/;
/** workerd's socket layer reports failures by message only. */
const SOCKET_MESSAGES = /network connection lost|connection refused|socket (is|has been) closed|proxy request failed/i;

export function isPgConnectionFailure(error: unknown): boolean {
  for (let link = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth++) {
    const code = "code" in link && typeof link.code === "string" ? link.code : "";
    if (DRIVER_CODES.has(code) || SQLSTATES.test(code) || SOCKET_MESSAGES.test(link.message)) return true;
  }
  return false;
}
