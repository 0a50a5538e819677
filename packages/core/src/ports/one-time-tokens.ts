/**
 * Single-use, short-lived state: email links and codes, MFA challenges and
 * WebAuthn challenges. The design card forbids KV for these; the D1 adapter
 * consumes with a conditional `DELETE ... RETURNING`, so of two concurrent
 * redemptions exactly one gets the row.
 */
export type OneTimePurpose =
  | "email_verification"
  | "password_reset"
  | "magic_link"
  | "email_code"
  | "mfa_challenge"
  | "webauthn_registration"
  | "webauthn_authentication"
  | "organization_invitation"
  /** A validated /authorize request waiting for the user to sign in and consent (hosted login). */
  | "oauth_authorization_request"
  /** RFC 6749 §4.1.2 authorization code: single use, 60 s. */
  | "oauth_authorization_code"
  /** Left behind when a code is redeemed, so a replay can revoke what the code issued (RFC 6749 §4.1.2). */
  | "oauth_code_redeemed"
  /** RFC 8628 device_code (polled by the device) and user_code (typed by the user). */
  | "oauth_device_code"
  | "oauth_user_code"
  /** `jti` of a private_key_jwt client assertion already used (RFC 7523 §3 item 7). */
  | "oauth_client_assertion"
  /** RFC 7591 §3 initial access token; `attempts` counts registrations made with it. */
  | "oauth_initial_access_token"
  /** State, nonce and PKCE verifier of a sign-in at an upstream provider, keyed by `state`. */
  | "upstream_sign_in";

export interface OneTimeToken {
  /** SHA-256 (base64url) of the client-held secret, or of `purpose:subject` for codes sent to an address. */
  id: string;
  tenantId: string;
  purpose: OneTimePurpose;
  subject: string | null;
  codeHash: string | null;
  attempts: number;
  data: Record<string, unknown>;
  createdAt: number;
  expiresAt: number;
}

export interface OneTimeTokenRepository {
  /** Inserts, replacing any row with the same id (a new code voids the previous one). */
  put(token: OneTimeToken): Promise<void>;
  /**
   * Inserts only when no live row has this id (an expired one is replaced);
   * false when a live row exists. Marks a value as seen exactly once.
   */
  insertIfAbsent(token: OneTimeToken): Promise<boolean>;
  /** The live row, without consuming it; null when missing or expired. */
  peek(tenantId: string, purpose: OneTimePurpose, id: string, now: number): Promise<OneTimeToken | null>;
  /** Deletes and returns the row when it exists and has not expired; null otherwise. */
  consume(tenantId: string, purpose: OneTimePurpose, id: string, now: number): Promise<OneTimeToken | null>;
  /**
   * Counts one attempt against a live row that is still under `maxAttempts`
   * and returns it (attempts already incremented); null when missing, expired
   * or used up. Counting before checking bounds guessing even under concurrency.
   */
  countAttempt(
    tenantId: string,
    purpose: OneTimePurpose,
    id: string,
    now: number,
    maxAttempts: number,
  ): Promise<OneTimeToken | null>;
  /** Like `consume`, but only when the stored code hash equals `codeHash`. */
  consumeWithCode(
    tenantId: string,
    purpose: OneTimePurpose,
    id: string,
    codeHash: string,
    now: number,
  ): Promise<OneTimeToken | null>;
  /** Deletes every row of `purpose` for `subject` (e.g. other reset links once a password is reset). */
  deleteForSubject(tenantId: string, purpose: OneTimePurpose, subject: string): Promise<void>;
  /** Deletes every row, of any purpose, whose subject is one of `subjects` (erasure of a user: their id and email). */
  deleteAllForSubjects(tenantId: string, subjects: string[]): Promise<void>;
  /** Deletes up to `limit` expired rows; returns how many went. */
  purgeExpired(now: number, limit: number): Promise<number>;
}
