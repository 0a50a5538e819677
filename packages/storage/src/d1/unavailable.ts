/**
 * D1 errors that mean "the database cannot serve right now", as opposed to a
 * query's own failure. From Cloudflare's list of D1_ERRORs
 * (developers.cloudflare.com/d1/observability/debug-d1/#error-list), the ones
 * whose recommended action is to retry or to lower the load: the backing
 * Durable Object restarting, reset or overloaded, the network to it lost.
 * Errors caused by the query itself (syntax, constraints, a query too big for
 * D1's memory or CPU limits, "no such table") are not outages: they stay
 * errors (500, or the adapter's domain error) so bugs are never hidden.
 */
const OUTAGES = [
  /^Network connection lost\.?$/i,
  /^D1 DB reset because its code was updated\.?$/i,
  /^Internal error while starting up D1 DB storage caused object to be reset\.?$/i,
  /^D1 DB storage operation exceeded timeout which caused object to be reset\.?$/i,
  /^D1 DB is overloaded\. Too many requests queued\.?$/i,
  /^Cannot resolve D1 DB due to transient issue on remote node\.?$/i,
];

/** The message D1 gave, without the `D1_ERROR: ` prefix the binding adds. */
const d1Message = (message: string): string => message.replace(/^D1_ERROR:\s*/, "").trim();

/**
 * True when `error` or one of its causes (drizzle wraps the binding's error as
 * `cause` of a "Failed query: …" error) is one of those outages. Messages are
 * matched whole, so a query's text or parameters can never match.
 */
export function isD1Unavailable(error: unknown): boolean {
  for (let link = error, depth = 0; link instanceof Error && depth < 5; link = link.cause, depth++) {
    const message = d1Message(link.message);
    if (OUTAGES.some((outage) => outage.test(message))) return true;
  }
  return false;
}
