/**
 * scrypt (RFC 7914) in the PHC form written by passlib and @phc/scrypt:
 * `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>` (standard base64, no
 * padding). Imported hashes only, computed with @noble/hashes.
 */
import { scrypt } from "@noble/hashes/scrypt.js";
import { decodePhcBase64 } from "./base64";
import { digestsEqual } from "./constant-time";
import { passwordBytes } from "./normalize";
import { parseDecimal, parsePhc } from "./phc";

/**
 * scrypt needs 128·N·r bytes: N·r ≤ 2^19 keeps it at 64 MiB (Workers isolates
 * have 128 MB; passlib's default ln=16, r=8 is exactly this). CPU grows with
 * N·r·p, bounded at twice that.
 */
export const SCRYPT_LIMITS = Object.freeze({
  maxMemoryBlocks: 2 ** 19,
  maxWork: 2 ** 20,
  /** RFC 7914's own vectors use a 4-byte salt. */
  minSaltBytes: 1,
  maxSaltBytes: 64,
  minHashBytes: 16,
  maxHashBytes: 64,
});

interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

export function isScryptHash(stored: string): boolean {
  return stored.startsWith("$scrypt$");
}

function parseScrypt(stored: string): ScryptHash | null {
  const phc = parsePhc(stored);
  if (!phc || phc.id !== "scrypt" || phc.version !== undefined || phc.params.size !== 3) return null;
  const ln = parseDecimal(phc.params.get("ln"));
  const r = parseDecimal(phc.params.get("r"));
  const p = parseDecimal(phc.params.get("p"));
  const salt = phc.salt === undefined ? null : decodePhcBase64(phc.salt);
  const hash = phc.hash === undefined ? null : decodePhcBase64(phc.hash);
  if (ln === null || r === null || p === null || !salt || !hash) return null;
  if (ln < 1 || ln > 30 || r < 1 || p < 1) return null;
  const N = 2 ** ln;
  const limits = SCRYPT_LIMITS;
  const withinLimits =
    N * r <= limits.maxMemoryBlocks && N * r * p <= limits.maxWork &&
    salt.length >= limits.minSaltBytes && salt.length <= limits.maxSaltBytes &&
    hash.length >= limits.minHashBytes && hash.length <= limits.maxHashBytes;
  return withinLimits ? { N, r, p, salt, hash } : null;
}

export async function verifyScrypt(stored: string, password: string): Promise<boolean> {
  const parsed = parseScrypt(stored);
  if (!parsed) return false;
  const { N, r, p, salt, hash } = parsed;
  // maxmem repeats our bound inside the library (its accounting: 128·r·(N + p + 1)).
  const maxmem = 128 * r * (N + p + 1);
  try {
    const derived = scrypt(passwordBytes(password), salt, { N, r, p, dkLen: hash.length, maxmem });
    return digestsEqual(derived, hash);
  } catch {
    return false;
  }
}
