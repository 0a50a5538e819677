/**
 * Every error a client can see, with its HTTP status and title. One place for
 * each code: routes throw `PlintoError`, one mapper turns it into RFC 9457
 * problem+json (workers/api/errors/problem.ts).
 */
export const errorCatalog = {
  validation_failed: { status: 400, title: "Request validation failed" },
  invalid_json: { status: 400, title: "Request body is not valid JSON" },
  weak_password: { status: 422, title: "Password does not meet the policy" },
  unauthorized: { status: 401, title: "Authentication required" },
  invalid_token: { status: 401, title: "Access token is invalid" },
  invalid_credentials: { status: 401, title: "Email or password is incorrect" },
  invalid_refresh_token: { status: 401, title: "Refresh token is invalid or expired" },
  refresh_token_reused: { status: 401, title: "Refresh token was already used; the session has been revoked" },
  invalid_api_key: { status: 401, title: "Secret key is invalid or revoked" },
  invalid_code: { status: 401, title: "The code is wrong, expired or already used" },
  invalid_link_token: { status: 400, title: "The link is invalid, expired or already used" },
  invalid_mfa_token: { status: 401, title: "The MFA challenge is invalid, expired or already used" },
  invalid_invitation: { status: 400, title: "The invitation is invalid, expired, revoked or already used" },
  invalid_challenge: { status: 400, title: "The challenge is invalid, expired or already used" },
  webauthn_verification_failed: { status: 400, title: "The passkey response could not be verified" },
  forbidden: { status: 403, title: "Not allowed" },
  user_banned: { status: 403, title: "This account is banned" },
  email_not_verified: { status: 403, title: "The email address must be verified first" },
  invitation_email_mismatch: { status: 403, title: "The invitation was sent to another email address" },
  step_up_required: { status: 403, title: "Recent authentication required for this action" },
  not_found: { status: 404, title: "Not found" },
  tenant_not_found: { status: 404, title: "Tenant not found" },
  email_taken: { status: 409, title: "An account with this email already exists" },
  slug_taken: { status: 409, title: "A tenant with this slug already exists" },
  conflict: { status: 409, title: "Conflict" },
  organization_slug_taken: { status: 409, title: "An organization with this slug already exists" },
  already_member: { status: 409, title: "The user is already a member of this organization" },
  last_owner: { status: 409, title: "The last owner cannot leave or stop being owner; transfer ownership first" },
  role_in_use: { status: 409, title: "The role is still held by members" },
  mfa_already_enrolled: { status: 409, title: "This factor is already enrolled" },
  key_encryption_mismatch: {
    status: 422,
    title: "The export's encrypted keys do not open with this deployment's KEY_ENCRYPTION_SECRET",
  },
  payload_too_large: { status: 413, title: "Request body is too large" },
  unsupported_media_type: { status: 415, title: "Content-Type must be application/json" },
  rate_limited: { status: 429, title: "Too many requests" },
  account_locked: { status: 429, title: "Too many failed attempts; try again later" },
  too_many_attempts: { status: 429, title: "Too many wrong codes; request a new one" },
  // OAuth 2.0 / OpenID Connect errors. Their code is the wire `error` value: on OAuth endpoints the mapper renders
  // them as RFC 6749 §5.2 `{error, error_description}` (oauth/oauth-error.ts), elsewhere as problem+json.
  /** RFC 6749 §5.2: missing, repeated or malformed parameter. */
  invalid_request: { status: 400, title: "The request is missing a parameter or is malformed" },
  /** RFC 6749 §5.2: client authentication failed (401; `WWW-Authenticate: Basic` when Basic was tried). */
  invalid_client: { status: 401, title: "Client authentication failed" },
  /** RFC 6749 §5.2: code, refresh token or device code invalid, expired, revoked, used, or issued to another client. */
  invalid_grant: { status: 400, title: "The grant is invalid, expired, revoked or was issued to another client" },
  unauthorized_client: { status: 400, title: "The client may not use this grant type" },
  unsupported_grant_type: { status: 400, title: "The grant type is not supported" },
  invalid_scope: { status: 400, title: "The requested scope is invalid, unknown or exceeds what was granted" },
  /** RFC 8707 §2: the requested resource is invalid, unknown or not allowed for the client. */
  invalid_target: { status: 400, title: "The requested resource is invalid or not allowed" },
  /** RFC 6749 §4.1.2.1 and RFC 8628 §3.5: the user or the server denied the request. */
  access_denied: { status: 400, title: "The request was denied" },
  unsupported_response_type: { status: 400, title: "The response type is not supported" },
  /** RFC 8628 §3.5: the user has not yet approved the device; keep polling. */
  authorization_pending: { status: 400, title: "The authorization request is still pending" },
  /** RFC 8628 §3.5: polling too fast; add 5 seconds to the interval. */
  slow_down: { status: 400, title: "Polling too fast; slow down" },
  /** RFC 8628 §3.5: the device code expired. */
  expired_token: { status: 400, title: "The device code has expired" },
  /** RFC 7009 §2.2.1: revocation of this token type is not supported. */
  unsupported_token_type: { status: 400, title: "The token type is not supported" },
  /** RFC 7591 §3.2.2: a client metadata field is invalid. */
  invalid_client_metadata: { status: 400, title: "A client metadata value is invalid" },
  invalid_redirect_uri: { status: 400, title: "A redirect URI is invalid" },
  /** OIDC Core §3.1.2.6: `prompt=none` could not be honoured. */
  login_required: { status: 400, title: "The user must sign in" },
  consent_required: { status: 400, title: "The user must consent" },
  interaction_required: { status: 400, title: "User interaction is required" },
  request_not_supported: { status: 400, title: "Request objects (the request parameter) are not supported" },
  request_uri_not_supported: { status: 400, title: "The request_uri parameter is not supported" },
  // Upstream (social) sign-in: packages/core/src/upstream, docs/social-sign-in.md.
  /** RFC 6749 §10.12: the callback's `state` is unknown, expired, already used, or from another browser. */
  invalid_upstream_state: { status: 400, title: "The sign-in attempt is invalid, expired or already used; start again" },
  /** RFC 6749 §4.1.2.1: the provider answered with an error (e.g. access_denied). */
  upstream_sign_in_failed: { status: 400, title: "Sign-in at the identity provider did not complete" },
  /** The provider's token, ID token or authorization response failed verification (OIDC Core §3.1.3.7, RFC 9207). */
  upstream_token_rejected: { status: 400, title: "The identity provider's answer could not be verified" },
  upstream_email_missing: { status: 422, title: "The identity provider shared no email address" },
  /** Account linking by verified email only: an unverified upstream address never links to an existing account. */
  upstream_email_unverified: {
    status: 409,
    title: "An account with this email exists, and the identity provider did not verify the address, so it cannot be linked",
  },
  upstream_link_refused: {
    status: 409,
    title: "An account with this email exists but its address is not verified; sign in to it and verify the address first",
  },
  /** Unlinking would leave the user no way to sign in (no password, passkey or other linked identity). */
  last_sign_in_method: {
    status: 409,
    title: "This is the account's last way to sign in; set a password, add a passkey or link another account first",
  },
  upstream_unavailable: { status: 502, title: "The identity provider is unavailable or answered unexpectedly" },
  internal_error: { status: 500, title: "Internal error" },
  storage_unavailable: { status: 503, title: "Storage is unavailable" },
  mail_unavailable: { status: 503, title: "Email delivery is unavailable" },
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export interface FieldError {
  path: string;
  message: string;
  code: string;
}

export interface PlintoErrorOptions {
  detail?: string;
  errors?: FieldError[];
  /** Seconds, sent as Retry-After on 429/503. */
  retryAfterSeconds?: number;
  /** `step_up_required`: the authentication age allowed, sent as `max_age` in WWW-Authenticate (RFC 9470 §3). */
  maxAgeSeconds?: number;
}

export class PlintoError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    readonly options: PlintoErrorOptions = {},
  ) {
    const entry = errorCatalog[code];
    super(options.detail ?? entry.title);
    this.name = "PlintoError";
    this.status = entry.status;
    this.title = entry.title;
  }
}
