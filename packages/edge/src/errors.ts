/**
 * Every way `@plinto/edge` refuses a request, with a stable `code` that callers
 * match on (never on the message), its HTTP status and the `error` value sent
 * to the client: RFC 6750 §3.1 names for token problems, RFC 6749 §4.1.2.1
 * `temporarily_unavailable` when the verifier itself cannot decide.
 * One place for each code: `toBearerError` reads this catalog.
 */
export const edgeAuthErrorCatalog = {
  token_missing: { status: 401, error: "invalid_request", description: "Bearer access token required" },
  token_malformed: { status: 401, error: "invalid_token", description: "Access token is malformed" },
  token_too_large: { status: 401, error: "invalid_token", description: "Access token is too large" },
  unsupported_algorithm: { status: 401, error: "invalid_token", description: "Access token algorithm is not allowed" },
  unknown_key: { status: 401, error: "invalid_token", description: "Access token signing key is unknown" },
  key_revoked: { status: 401, error: "invalid_token", description: "Access token signing key is revoked" },
  invalid_signature: { status: 401, error: "invalid_token", description: "Access token signature is invalid" },
  invalid_type: { status: 401, error: "invalid_token", description: "Token is not an access token (typ at+jwt)" },
  invalid_issuer: { status: 401, error: "invalid_token", description: "Access token issuer is not accepted" },
  invalid_audience: { status: 401, error: "invalid_token", description: "Access token audience is not accepted" },
  token_expired: { status: 401, error: "invalid_token", description: "Access token expired" },
  token_not_yet_valid: { status: 401, error: "invalid_token", description: "Access token is not valid yet" },
  missing_claim: { status: 401, error: "invalid_token", description: "Access token lacks a required claim" },
  session_revoked: { status: 401, error: "invalid_token", description: "Session was revoked" },
  token_revoked: { status: 401, error: "invalid_token", description: "Access token was revoked" },
  insufficient_scope: { status: 403, error: "insufficient_scope", description: "Access token lacks the required scope" },
  insufficient_role: { status: 403, error: "insufficient_scope", description: "Organization role does not allow this" },
  insufficient_permission: { status: 403, error: "insufficient_scope", description: "Organization role lacks the required permission" },
  jwks_unavailable: { status: 503, error: "temporarily_unavailable", description: "Signing keys are temporarily unavailable" },
  revocation_unavailable: { status: 503, error: "temporarily_unavailable", description: "Revocation status is temporarily unavailable" },
} as const;

export type EdgeAuthErrorCode = keyof typeof edgeAuthErrorCatalog;

export interface EdgeAuthErrorOptions {
  /** Safe, client-visible detail; defaults to the catalog description. */
  detail?: string;
  /** Scopes that would have been enough (RFC 6750 §3 `scope` attribute). */
  requiredScopes?: readonly string[];
  cause?: unknown;
}

/** A refused token or request. `code` is stable; `message` is safe to show a client. */
export class EdgeAuthError extends Error {
  override readonly name = "EdgeAuthError";
  readonly code: EdgeAuthErrorCode;
  readonly requiredScopes: readonly string[] | undefined;

  constructor(code: EdgeAuthErrorCode, options: EdgeAuthErrorOptions = {}) {
    super(options.detail ?? edgeAuthErrorCatalog[code].description, { cause: options.cause });
    this.code = code;
    this.requiredScopes = options.requiredScopes;
  }
}

export const isEdgeAuthError = (value: unknown): value is EdgeAuthError => value instanceof EdgeAuthError;
