/**
 * Password normalisation.
 *
 * Passwords are Unicode-normalised with NFKC before Plinto hashes or verifies
 * them with argon2id, so the same password typed on keyboards or IMEs that
 * produce different code points (composed vs decomposed "é", full-width
 * letters, ligatures) verifies the same. NIST SP 800-63B §5.1.1.2: "the
 * verifier SHOULD apply the Normalization Process for Stabilized Strings
 * using either the NFKC or NFKD normalization defined in Section 12.1 of
 * Unicode Standard Annex 15"; we pick NFKC.
 */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/** UTF-8 bytes of the password, as every supported scheme hashes them. */
export function passwordBytes(password: string): Uint8Array {
  return new TextEncoder().encode(password);
}

/**
 * Imported hashes were made by systems that may not have normalised. Try the
 * password exactly as typed first, then its NFKC form if that differs.
 */
export async function verifyRawThenNormalized(
  password: string,
  check: (candidate: string) => Promise<boolean>,
): Promise<boolean> {
  if (await check(password)) return true;
  const normalized = normalizePassword(password);
  return normalized !== password && check(normalized);
}
