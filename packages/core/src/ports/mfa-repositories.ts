/** A user's TOTP authenticator (RFC 6238). One per user; `pending` until a first valid code activates it. */
export interface TotpFactor {
  /** `mfa_...` */
  id: string;
  tenantId: string;
  userId: string;
  status: "pending" | "active";
  /** AES-256-GCM ciphertext of the base32 secret (key vault, context `totp:{tenantId}:{id}`). Never leaves the core. */
  secretEncrypted: string;
  /** Highest time step accepted so far; a code at or below it is a replay (RFC 6238 §5.2). */
  lastUsedStep: number | null;
  createdAt: number;
  activatedAt: number | null;
}

export interface TotpFactorRepository {
  getForUser(tenantId: string, userId: string): Promise<TotpFactor | null>;
  /**
   * Stores a pending factor, replacing an earlier pending one of the same
   * user. Returns false (writing nothing) when the user has an active factor.
   */
  putPending(factor: TotpFactor): Promise<boolean>;
  /**
   * Activates a pending factor at time step `step` and replaces the user's
   * recovery codes with `recoveryCodeHashes`, in one transaction. False when
   * the factor is not pending (already activated or removed): nothing written.
   */
  activate(factor: TotpFactor, step: number, now: number, recoveryCodeHashes: string[]): Promise<boolean>;
  /**
   * Records that `step` was used: one conditional UPDATE that succeeds only
   * when the step is later than every step used before, so of two requests
   * with the same code only the first wins (RFC 6238 §5.2 replay).
   */
  useStep(tenantId: string, factorId: string, step: number): Promise<boolean>;
  /** Removes the user's factor (pending or active); returns it, or null when there was none. */
  delete(tenantId: string, userId: string): Promise<TotpFactor | null>;
}

/** Single-use recovery codes; only SHA-256 digests are stored (salted with tenant and user, see recovery-codes.ts). */
export interface RecoveryCodeRepository {
  /** Replaces every code of the user with these digests, atomically. */
  replaceAll(tenantId: string, userId: string, codeHashes: string[], now: number): Promise<void>;
  /** Deletes the code with this digest (conditional `DELETE ... RETURNING`); true for exactly one caller. */
  consume(tenantId: string, userId: string, codeHash: string): Promise<boolean>;
  count(tenantId: string, userId: string): Promise<number>;
  deleteAll(tenantId: string, userId: string): Promise<void>;
}
