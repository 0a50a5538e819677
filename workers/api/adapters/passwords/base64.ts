/**
 * Base64 decoding for the alphabets stored hashes use. Returns null on any
 * character outside the alphabet or an impossible length, so callers can
 * treat a malformed hash as "does not verify".
 */

/** PHC string format: standard alphabet, no padding. */
export function decodePhcBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return null;
  return decode(text + "=".repeat((4 - (text.length % 4)) % 4));
}

/** passlib's "adapted base64": `.` instead of `+`, no padding. */
export function decodeAdaptedBase64(text: string): Uint8Array | null {
  if (text.includes("+")) return null;
  return decodePhcBase64(text.replaceAll(".", "+"));
}

/** Standard alphabet with `=` padding (Django). */
export function decodePaddedBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return decode(text);
}

function decode(padded: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
