/** Outcome of checking a password against a stored hash. */
export interface PasswordCheck {
  ok: boolean;
  /** True when the stored hash uses an imported or weaker scheme and should be replaced by a fresh argon2id hash. */
  needsRehash: boolean;
}

/**
 * Password hashing port. The production adapter is argon2id (WASM) with
 * verification of imported bcrypt, scrypt and PBKDF2 hashes.
 */
export interface PasswordHasher {
  /** Returns a PHC string, e.g. `$argon2id$v=19$m=19456,t=2,p=1$salt$hash`. */
  hash(password: string): Promise<string>;
  /** Verifies in constant time with respect to the hash content. Unknown formats verify as false. */
  verify(storedHash: string, password: string): Promise<PasswordCheck>;
  /**
   * Spends the same work as a real verification against a hash with current
   * parameters. Used when no user matches, so timing does not reveal whether
   * an account exists.
   */
  verifyAgainstDummy(password: string): Promise<void>;
}
