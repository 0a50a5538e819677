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
  | "organization_invitation";

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
