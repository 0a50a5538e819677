import { toBase64url, utf8 } from "./encoding";

/** A random secret of `bytes` bytes (default 32 = 256 bits), base64url without padding. */
export function randomSecret(bytes = 32): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/**
 * SHA-256 digest, base64url. High-entropy secrets (refresh tokens, secret keys)
 * are stored only as this digest and looked up by it, so a database leak
 * yields nothing usable and no comparison of secrets happens in user code.
 */
export async function sha256(text: string): Promise<string> {
  return toBase64url(new Uint8Array(await crypto.subtle.digest("SHA-256", utf8(text))));
}

/** A WebCrypto digest of UTF-8 text (OIDC Core §3.1.3.6 at_hash picks the hash of the ID token's alg). */
export async function digest(algorithm: "SHA-256" | "SHA-384" | "SHA-512", text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest(algorithm, utf8(text)));
}
