import type { ErrorCode, PlintoError } from "../errors";

/** Catalog codes whose name is itself an OAuth `error` value (RFC 6749 §4.1.2.1, §5.2; RFC 6750 §3.1; RFC 7009; RFC 7591; RFC 8628; RFC 8707; OIDC Core §3.1.2.6). */
const OAUTH_CODES = new Set<ErrorCode>([
  "invalid_request",
  "invalid_client",
  "invalid_grant",
  "unauthorized_client",
  "unsupported_grant_type",
  "invalid_scope",
  "invalid_target",
  "access_denied",
  "unsupported_response_type",
  "authorization_pending",
  "slow_down",
  "expired_token",
  "unsupported_token_type",
  "invalid_client_metadata",
  "invalid_redirect_uri",
  "login_required",
  "consent_required",
  "interaction_required",
  "request_not_supported",
  "request_uri_not_supported",
  "invalid_token",
]);

/** What an OAuth endpoint answers for an error: its status, the `error` value and a description. */
export interface OAuthErrorResponse {
  status: number;
  error: string;
  /** RFC 6749 §5.2: printable ASCII without `"` and `\`. */
  description: string;
}

/**
 * Turns any PlintoError into an RFC 6749 error. OAuth codes pass through;
 * other codes become `invalid_request` (4xx), `invalid_token` /
 * `insufficient_scope` (RFC 6750 §3.1), `temporarily_unavailable` (429, 503)
 * or `server_error` (5xx, description generic: 5xx never leaks internals).
 * Used for JSON bodies (token endpoint) and for redirects (RFC 6749 §4.1.2.1).
 */
export function toOAuthError(error: PlintoError): OAuthErrorResponse {
  const { code, status } = error;
  const description = oauthDescription(error.options.detail ?? error.title);
  if (OAUTH_CODES.has(code)) return { status, error: code, description };
  if (code === "unauthorized" || code === "invalid_api_key") return { status: 401, error: "invalid_token", description };
  if (code === "forbidden") return { status: 403, error: "insufficient_scope", description };
  if (status === 429 || status === 503) {
    return { status, error: "temporarily_unavailable", description: oauthDescription(error.title) };
  }
  if (status >= 500) return { status, error: "server_error", description: oauthDescription(error.title) };
  return { status, error: "invalid_request", description };
}

/** RFC 6749 §5.2 `error_description`: %x20-21 / %x23-5B / %x5D-7E only; anything else becomes a space or a quote. */
export function oauthDescription(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, " ")
    .replace(/ {2,}/g, " ")
    .trim()
    .slice(0, 500);
}

