import { PlintoError, type ErrorCode, errorCatalog } from "@plinto/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

/** RFC 9457 `type`: a stable URN per code, so clients can match on it as well as on `code`. */
const problemType = (code: ErrorCode): string => `urn:plinto:error:${code}`;

/**
 * The one error mapper: every error becomes RFC 9457 problem+json with a
 * stable `code`. 5xx bodies carry only the generic title; details go to the
 * log (never secrets: domain errors hold none, and unknown errors are logged
 * by name and message only).
 */
export function problemResponse(c: Context, error: unknown): Response {
  const plinto = toPlintoError(error);
  if (plinto.status >= 500) console.error(JSON.stringify({ level: "error", path: c.req.path, ...loggable(error) }));
  const body = {
    type: problemType(plinto.code),
    title: plinto.title,
    status: plinto.status,
    ...(plinto.status < 500 && plinto.options.detail ? { detail: plinto.options.detail } : {}),
    code: plinto.code,
    ...(plinto.options.errors ? { errors: plinto.options.errors } : {}),
  };
  const headers = new Headers({ "Content-Type": "application/problem+json", "Cache-Control": "no-store" });
  if (plinto.options.retryAfterSeconds !== undefined) {
    headers.set("Retry-After", String(Math.max(1, Math.ceil(plinto.options.retryAfterSeconds))));
  }
  const challenge = bearerChallenge(plinto);
  if (challenge) headers.set("WWW-Authenticate", challenge);
  return new Response(JSON.stringify(body), { status: plinto.status, headers });
}

/**
 * What of an unexpected error may be logged: names, and messages cut before
 * any bound values (drizzle's "Failed query: <sql>\nparams: <values>" would
 * otherwise write password hashes and secret digests to the log).
 */
export function loggable(error: unknown): { error: string; message: string; cause?: string } {
  if (!(error instanceof Error)) return { error: typeof error, message: "" };
  const message = error.message.split(/\n\s*params:/)[0]?.slice(0, 500) ?? "";
  const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message.slice(0, 200)}` : undefined;
  return { error: error.name, message, ...(cause ? { cause } : {}) };
}

function toPlintoError(error: unknown): PlintoError {
  if (error instanceof PlintoError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 400 && /JSON/i.test(error.message)) return new PlintoError("invalid_json");
    if (error.status === 413) return new PlintoError("payload_too_large");
    const code = (Object.keys(errorCatalog) as ErrorCode[]).find((key) => errorCatalog[key].status === error.status);
    if (code && error.status < 500) return new PlintoError(code, { detail: error.message || undefined });
  }
  return new PlintoError("internal_error");
}

/**
 * RFC 6750 §3: a 401 from a protected resource carries `WWW-Authenticate:
 * Bearer`; when no credentials were sent it has no `error` attribute (§3.1).
 * RFC 9470 §3: an authentication too old for the action names
 * `insufficient_user_authentication` and the `max_age` it needs.
 */
function bearerChallenge({ code, options }: PlintoError): string | null {
  if (code === "step_up_required") {
    const maxAge = options.maxAgeSeconds !== undefined ? `, max_age="${options.maxAgeSeconds}"` : "";
    return `Bearer realm="plinto", error="insufficient_user_authentication", error_description="A more recent authentication is required"${maxAge}`;
  }
  if (code === "unauthorized") return 'Bearer realm="plinto"';
  if (code === "invalid_token" || code === "invalid_api_key") return 'Bearer realm="plinto", error="invalid_token"';
  if (code === "forbidden") return 'Bearer realm="plinto", error="insufficient_scope"';
  return null;
}
