import { PlintoError, type ErrorCode, errorCatalog, toOAuthError } from "@plinto/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../app-env";

/** RFC 9457 `type`: a stable URN per code, so clients can match on it as well as on `code`. */
const problemType = (code: ErrorCode): string => `urn:plinto:error:${code}`;

/**
 * The one error mapper: every error becomes RFC 9457 problem+json with a
 * stable `code`. 5xx bodies carry only the generic title; details go to the
 * log (never secrets: domain errors hold none, and unknown errors are logged
 * by name and message only).
 */
export function problemResponse(c: Context<AppEnv>, error: unknown): Response {
  const plinto = toPlintoError(error);
  if (plinto.status >= 500) console.error(JSON.stringify({ level: "error", path: c.req.path, ...loggable(error) }));
  if (isOAuthEndpoint(c)) return oauthErrorResponse(c, plinto);
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
 * OAuth endpoints: the flag set by createOAuthRouter (routes/oauth/oauth-router.ts),
 * or, for errors raised by global middleware before that router ran (body
 * limit, media type, unknown tenant, no such route), the path.
 */
const OAUTH_PATH = /^\/t\/[^/]+\/oauth(\/|$)/;
const isOAuthEndpoint = (c: Context<AppEnv>): boolean => c.get("oauthEndpoint") === true || OAUTH_PATH.test(c.req.path);

/**
 * RFC 6749 §5.2 error response: `{error, error_description}` with
 * `Cache-Control: no-store` and `Pragma: no-cache`. A failed client
 * authentication through the Authorization header answers 401 with a
 * `WWW-Authenticate` challenge for the scheme the client used (§5.2
 * invalid_client); protected resources (userinfo) keep RFC 6750 §3 Bearer challenges.
 */
function oauthErrorResponse(c: Context<AppEnv>, plinto: PlintoError): Response {
  const { status, error, description } = toOAuthError(plinto);
  const headers = new Headers({ "Content-Type": "application/json", "Cache-Control": "no-store", Pragma: "no-cache" });
  if (plinto.options.retryAfterSeconds !== undefined) {
    headers.set("Retry-After", String(Math.max(1, Math.ceil(plinto.options.retryAfterSeconds))));
  }
  const challenge = plinto.code === "invalid_client" ? basicChallenge(c) : bearerChallenge(plinto);
  if (challenge) headers.set("WWW-Authenticate", challenge);
  return new Response(JSON.stringify({ error, error_description: description }), { status, headers });
}

/** RFC 6749 §5.2 / RFC 7617 §2: the client tried HTTP Basic, so the 401 names that scheme. */
function basicChallenge(c: Context<AppEnv>): string | null {
  const scheme = c.req.header("Authorization")?.trim().split(/\s+/)[0]?.toLowerCase();
  return scheme === "basic" ? 'Basic realm="plinto", charset="UTF-8"' : null;
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
