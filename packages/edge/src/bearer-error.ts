import { type EdgeAuthError, edgeAuthErrorCatalog } from "./errors";

export interface BearerErrorOptions {
  /** RFC 6750 §3 `realm` attribute of the challenge. */
  realm?: string;
}

/** What a protected resource answers for a refused request. */
export interface BearerError {
  status: number;
  /** The RFC 6750 §3 challenge; undefined for 503 (the verifier, not the token, failed). */
  wwwAuthenticate: string | undefined;
  body: { error: string; error_description: string };
}

/** RFC 6750 §3: attribute values are quoted strings without `"` or `\` (error_description: %x20-21 / %x23-5B / %x5D-7E). */
const quoted = (value: string): string => `"${value.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "'")}"`;

/**
 * Maps a refusal to RFC 6750 §3: 401 with `error="invalid_token"` for a bad,
 * expired or revoked token; 403 with `error="insufficient_scope"` (and the
 * needed `scope`) when the token is fine but not enough; 401 with a bare
 * challenge when no token was sent (§3.1: no error code then); 503 without a
 * challenge when keys or revocation status are unavailable.
 */
export function toBearerError(error: EdgeAuthError, options: BearerErrorOptions = {}): BearerError {
  const entry = edgeAuthErrorCatalog[error.code];
  const body = { error: entry.error, error_description: error.message };
  if (entry.status === 503) return { status: entry.status, wwwAuthenticate: undefined, body };
  const attributes: string[] = [];
  if (options.realm !== undefined) attributes.push(`realm=${quoted(options.realm)}`);
  if (error.code !== "token_missing") {
    attributes.push(`error=${quoted(entry.error)}`, `error_description=${quoted(error.message)}`);
    if (error.requiredScopes?.length) attributes.push(`scope=${quoted(error.requiredScopes.join(" "))}`);
  }
  const wwwAuthenticate = attributes.length > 0 ? `Bearer ${attributes.join(", ")}` : "Bearer";
  return { status: entry.status, wwwAuthenticate, body };
}

/** The refusal as a JSON response, `Cache-Control: no-store` (RFC 6750 §3, RFC 6749 §5.1). */
export function bearerErrorResponse(error: EdgeAuthError, options: BearerErrorOptions = {}): Response {
  const { status, wwwAuthenticate, body } = toBearerError(error, options);
  const headers = new Headers({ "content-type": "application/json", "cache-control": "no-store" });
  if (wwwAuthenticate) headers.set("www-authenticate", wwwAuthenticate);
  if (status === 503) headers.set("retry-after", "1");
  return new Response(JSON.stringify(body), { status, headers });
}
