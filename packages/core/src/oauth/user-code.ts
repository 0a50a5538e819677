import { sha256 } from "../crypto/secrets";

/**
 * RFC 8628 §6.1: user codes are typed by people, often on a phone, so they use
 * 20 consonants (no vowels: no accidental words; no 0/O, 1/I confusion) and
 * are shown as XXXX-XXXX. 20^8 ≈ 2^34.6 codes; guessing is bounded by the
 * rate limit on look-ups and the codes' ten-minute life (§5.1).
 */
export const USER_CODE_ALPHABET = "BCDFGHJKLMNPQRSTVWXZ";
export const USER_CODE_LENGTH = 8;

/** A uniformly random code: bytes at or above 240 (the largest multiple of 20 below 256) are drawn again. */
export function newUserCode(): string {
  const limit = 240;
  let code = "";
  const byte = new Uint8Array(1);
  while (code.length < USER_CODE_LENGTH) {
    crypto.getRandomValues(byte);
    const value = byte[0] ?? limit;
    if (value < limit) code += USER_CODE_ALPHABET[value % USER_CODE_ALPHABET.length];
  }
  return code;
}

/** How the code is shown (and sent in verification_uri_complete): XXXX-XXXX. */
export const displayUserCode = (code: string): string => `${code.slice(0, 4)}-${code.slice(4)}`;

/**
 * What the user typed, as the stored form: upper case, dashes and spaces
 * dropped (RFC 8628 §6.1 recommends ignoring such characters); null when what
 * remains cannot be a code we issued.
 */
export function normaliseUserCode(typed: string): string | null {
  const code = typed.toUpperCase().replace(/[\s-]/g, "");
  if (code.length !== USER_CODE_LENGTH) return null;
  for (const char of code) if (!USER_CODE_ALPHABET.includes(char)) return null;
  return code;
}

/** Row id of a user code: its digest, salted with the tenant so one tenant's table says nothing of another's codes. */
export const userCodeRowId = (tenantId: string, normalisedCode: string): Promise<string> =>
  sha256(`${tenantId}:oauth_user_code:${normalisedCode}`);
