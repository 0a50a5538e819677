/**
 * PBKDF2 (RFC 8018) hashes, imported only, in two layouts:
 * - passlib: `$pbkdf2-sha256$<iterations>$<salt>$<hash>` (also `-sha512`,
 *   and `$pbkdf2$` or `$pbkdf2-sha1$` for SHA-1), salt and hash in passlib's
 *   adapted base64 (`.` for `+`, no padding);
 * - Django: `pbkdf2_sha256$<iterations>$<salt>$<hash>` (also `pbkdf2_sha1`),
 *   the salt used as text, the hash in padded standard base64.
 */
import { pbkdf2 } from "@noble/hashes/pbkdf2.js";
import { sha1 } from "@noble/hashes/legacy.js";
import { sha256, sha512 } from "@noble/hashes/sha2.js";
import { decodeAdaptedBase64, decodePaddedBase64 } from "./base64";
import { digestsEqual } from "./constant-time";
import { passwordBytes } from "./normalize";
import { parseDecimal } from "./phc";

export const PBKDF2_LIMITS = Object.freeze({
  /** Above Django 6.0's 1,200,000; about 2.4 s of SHA-256 in JavaScript. */
  maxIterations: 2_000_000,
  /**
   * Production Workers refuse WebCrypto PBKDF2 above 100,000 iterations
   * (cloudflare/workerd#1346; local workerd has no limit). Above it we
   * derive with @noble/hashes instead.
   */
  maxWebCryptoIterations: 100_000,
  maxSaltBytes: 128,
  minHashBytes: 16,
});

type Digest = "SHA-1" | "SHA-256" | "SHA-512";

const DIGEST_BYTES: Record<Digest, number> = { "SHA-1": 20, "SHA-256": 32, "SHA-512": 64 };
const NOBLE_HASH = { "SHA-1": sha1, "SHA-256": sha256, "SHA-512": sha512 };

const PASSLIB_DIGEST: Record<string, Digest> = { "": "SHA-1", "-sha1": "SHA-1", "-sha256": "SHA-256", "-sha512": "SHA-512" };
const DJANGO_DIGEST: Record<string, Digest> = { sha1: "SHA-1", sha256: "SHA-256" };

const PASSLIB = /^\$pbkdf2(|-sha1|-sha256|-sha512)\$([0-9]{1,10})\$([A-Za-z0-9./]*)\$([A-Za-z0-9./]+)$/;
const DJANGO = /^pbkdf2_(sha1|sha256)\$([0-9]{1,10})\$([^$]+)\$([A-Za-z0-9+/]+={0,2})$/;

interface Pbkdf2Hash {
  digest: Digest;
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

export function isPbkdf2Hash(stored: string): boolean {
  return /^(\$pbkdf2[$-]|pbkdf2_)/.test(stored);
}

function parsePbkdf2(stored: string): Pbkdf2Hash | null {
  const passlib = PASSLIB.exec(stored);
  const django = passlib ? null : DJANGO.exec(stored);
  const match = passlib ?? django;
  if (!match) return null;
  const digest = passlib ? PASSLIB_DIGEST[match[1]!] : DJANGO_DIGEST[match[1]!];
  const iterations = parseDecimal(match[2]);
  const salt = passlib ? decodeAdaptedBase64(match[3]!) : passwordBytes(match[3]!);
  const hash = passlib ? decodeAdaptedBase64(match[4]!) : decodePaddedBase64(match[4]!);
  if (!digest || iterations === null || !salt || !hash) return null;
  const limits = PBKDF2_LIMITS;
  const withinLimits =
    iterations >= 1 && iterations <= limits.maxIterations &&
    salt.length <= limits.maxSaltBytes &&
    hash.length >= limits.minHashBytes && hash.length <= DIGEST_BYTES[digest];
  return withinLimits ? { digest, iterations, salt, hash } : null;
}

async function derive({ digest, iterations, salt, hash }: Pbkdf2Hash, password: Uint8Array): Promise<Uint8Array> {
  if (iterations > PBKDF2_LIMITS.maxWebCryptoIterations) {
    return pbkdf2(NOBLE_HASH[digest], password, salt, { c: iterations, dkLen: hash.length });
  }
  const key = await crypto.subtle.importKey("raw", password, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: digest, salt, iterations }, key, hash.length * 8);
  return new Uint8Array(bits);
}

export async function verifyPbkdf2(stored: string, password: string): Promise<boolean> {
  const parsed = parsePbkdf2(stored);
  if (!parsed) return false;
  try {
    return digestsEqual(await derive(parsed, passwordBytes(password)), parsed.hash);
  } catch {
    return false;
  }
}
