/**
 * Digest comparison in constant time with the Workers runtime's
 * `crypto.subtle.timingSafeEqual`. Lengths are compared first because the
 * runtime throws on unequal lengths; a digest's length comes from the stored
 * hash format and is not secret.
 */
export function digestsEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return crypto.subtle.timingSafeEqual(a, b);
}
