import { PlintoError } from "../errors";

/** Every call to an upstream provider gives up after this long, so a slow provider cannot hold a sign-in open. */
export const UPSTREAM_TIMEOUT_MS = 10_000;

export interface UpstreamResponse {
  status: number;
  body: Record<string, unknown>;
}

/**
 * One request to an upstream provider, answered as a JSON object. Network
 * failures, timeouts and non-JSON answers are `upstream_unavailable`; an HTTP
 * error status is returned to the caller, which knows what it means.
 * The detail never carries the request (it may hold a code or secret).
 */
export async function upstreamJson(url: string, init: RequestInit = {}): Promise<UpstreamResponse> {
  const headers = new Headers(init.headers);
  if (!headers.has("Accept")) headers.set("Accept", "application/json");
  // GitHub's API refuses requests without a User-Agent.
  if (!headers.has("User-Agent")) headers.set("User-Agent", "Plinto");
  let response: Response;
  try {
    response = await fetch(url, { ...init, headers, redirect: "manual", signal: AbortSignal.timeout(UPSTREAM_TIMEOUT_MS) });
  } catch {
    throw new PlintoError("upstream_unavailable", { detail: `the provider at ${new URL(url).host} did not answer` });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new PlintoError("upstream_unavailable", { detail: `the provider at ${new URL(url).host} answered ${response.status} without JSON` });
  }
  if (typeof body !== "object" || body === null) {
    throw new PlintoError("upstream_unavailable", { detail: `the provider at ${new URL(url).host} answered an unexpected body` });
  }
  return { status: response.status, body: body as Record<string, unknown> };
}

/** A string member of a provider's JSON answer, or null. */
export const stringField = (body: Record<string, unknown>, key: string): string | null =>
  typeof body[key] === "string" && body[key] !== "" ? (body[key] as string) : null;
