import { fromBase64url } from "../../crypto/encoding";
import { randomSecret, sha256 } from "../../crypto/secrets";

/** Client secrets look like `cs_<43 base64url chars>` (256 bits). */
export const CLIENT_SECRET_PREFIX = "cs_";
/** Longer input is not a secret we issued; refusing it early bounds the hashing work. */
const MAX_SECRET_LENGTH = 512;

export interface MintedClientSecret {
  /** Shown once, in the response that creates or rotates it. */
  secret: string;
  /** SHA-256 (base64url) stored on the client. */
  secretHash: string;
}

export async function mintClientSecret(): Promise<MintedClientSecret> {
  const secret = `${CLIENT_SECRET_PREFIX}${randomSecret(32)}`;
  return { secret, secretHash: await sha256(secret) };
}

/**
 * Whether `presented` is the secret (client secret, registration access
 * token) whose SHA-256 is `storedHash`. The two
 * digests are compared with the runtime's constant-time comparison, so the
 * time taken says nothing about how much of the digest matched.
 */
export async function secretMatchesHash(presented: string, storedHash: string): Promise<boolean> {
  if (presented.length === 0 || presented.length > MAX_SECRET_LENGTH) return false;
  const a = fromBase64url(await sha256(presented));
  const b = fromBase64url(storedHash);
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b);
}
