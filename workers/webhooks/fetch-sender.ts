import type { WebhookSender } from "@plinto/core";

/**
 * The real sender: POST with a timeout (AbortSignal), redirects not followed
 * (`redirect: "manual"`: a 3xx is an answer, never a hop to another host, so
 * the SSRF guard's verdict holds), the body of the answer discarded.
 */
export function fetchSender(fetcher: typeof fetch = fetch, now: () => number = () => performance.now()): WebhookSender {
  return async ({ url, headers, body, timeoutMs }) => {
    const started = now();
    try {
      const response = await fetcher(url, { method: "POST", headers, body, redirect: "manual", signal: AbortSignal.timeout(timeoutMs) });
      await response.body?.cancel();
      return { kind: "response", status: response.status, latencyMs: now() - started };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
      return { kind: timedOut ? "timeout" : "network_error", latencyMs: now() - started };
    }
  };
}
