/**
 * argon2id: the scheme Plinto hashes with. Also verifies argon2i/argon2d PHC
 * strings (imported), which are then marked for rehash.
 */
import type { PasswordCheck } from "../../../../packages/core/src/ports/password-hasher";
import { type Argon2Type, argon2HashEncoded, argon2VerifyEncoded } from "./argon2-wasm";
import { decodePhcBase64 } from "./base64";
import { normalizePassword, passwordBytes } from "./normalize";
import { parseDecimal, parsePhc } from "./phc";

/**
 * OWASP Password Storage Cheat Sheet, argon2id: m=19 MiB, t=2, p=1. Keys
 * follow `@phi-ag/argon2`'s hash options so a benchmark can pass this object
 * to that library unchanged (type argon2id and version 0x13 are its defaults).
 */
export const ARGON2ID_PARAMS = Object.freeze({
  /** KiB. */
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
  saltLength: 16,
  hashLength: 32,
});

/**
 * Bounds on stored hashes we agree to verify, so an imported hash cannot make
 * one sign-in burn unbounded memory (Workers isolates have 128 MB) or CPU.
 * 64 MiB covers the common library defaults (argon2-cffi, node-argon2).
 */
export const ARGON2_LIMITS = Object.freeze({
  maxMemoryKiB: 65536,
  /** memory × passes: 64 MiB × 4, about 7× the cost of our own parameters. */
  maxMemoryPasses: 65536 * 4,
  maxParallelism: 16,
  minSaltBytes: 8,
  maxSaltBytes: 64,
  minHashBytes: 16,
  maxHashBytes: 64,
});

const VERSION_13 = 0x13;
const VERSION_10 = 0x10;
const NO_MATCH: PasswordCheck = { ok: false, needsRehash: false };

interface Argon2Hash {
  type: Argon2Type;
  version: number;
  m: number;
  t: number;
  p: number;
  saltBytes: number;
  hashBytes: number;
}

export function isArgon2Hash(stored: string): boolean {
  return /^\$argon2(id|i|d)\$/.test(stored);
}

/** Parses and bounds-checks an argon2 PHC string; null when malformed or over the limits. */
export function parseArgon2(stored: string): Argon2Hash | null {
  const phc = parsePhc(stored);
  if (!phc || (phc.id !== "argon2id" && phc.id !== "argon2i" && phc.id !== "argon2d")) return null;
  if (phc.params.size !== 3 || phc.salt === undefined || phc.hash === undefined) return null;
  const version = phc.version ?? VERSION_10;
  const m = parseDecimal(phc.params.get("m"));
  const t = parseDecimal(phc.params.get("t"));
  const p = parseDecimal(phc.params.get("p"));
  const salt = decodePhcBase64(phc.salt);
  const hash = decodePhcBase64(phc.hash);
  if (m === null || t === null || p === null || !salt || !hash) return null;
  const limits = ARGON2_LIMITS;
  const withinLimits =
    (version === VERSION_13 || version === VERSION_10) &&
    t >= 1 && p >= 1 && p <= limits.maxParallelism && m >= 8 * p &&
    m <= limits.maxMemoryKiB && m * t <= limits.maxMemoryPasses &&
    salt.length >= limits.minSaltBytes && salt.length <= limits.maxSaltBytes &&
    hash.length >= limits.minHashBytes && hash.length <= limits.maxHashBytes;
  if (!withinLimits) return null;
  return { type: phc.id, version, m, t, p, saltBytes: salt.length, hashBytes: hash.length };
}

/** True when the hash is weaker than what `hashArgon2id` produces today. */
export function isWeakerThanCurrent(hash: Argon2Hash): boolean {
  const current = ARGON2ID_PARAMS;
  return (
    hash.type !== "argon2id" ||
    hash.version !== VERSION_13 ||
    hash.m < current.memoryCost ||
    hash.t < current.timeCost ||
    hash.p < current.parallelism ||
    hash.saltBytes < current.saltLength ||
    hash.hashBytes < current.hashLength
  );
}

export async function hashArgon2id(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(ARGON2ID_PARAMS.saltLength));
  const { memoryCost: m, timeCost: t, parallelism: p, hashLength } = ARGON2ID_PARAMS;
  return argon2HashEncoded("argon2id", passwordBytes(normalizePassword(password)), salt, { m, t, p }, hashLength);
}

/** `needsRehash` is only ever true on a successful verification. */
export async function verifyArgon2(stored: string, password: string): Promise<PasswordCheck> {
  const parsed = parseArgon2(stored);
  if (!parsed) return NO_MATCH;
  const ok = argon2VerifyEncoded(parsed.type, stored, passwordBytes(normalizePassword(password)));
  return { ok, needsRehash: ok && isWeakerThanCurrent(parsed) };
}

let dummyHash: string | undefined;

/**
 * Verifies against a fixed hash with the current parameters, made once per
 * isolate from a random password (so nothing can match it).
 */
export async function verifyArgon2Dummy(password: string): Promise<void> {
  dummyHash ??= await hashArgon2id(crypto.randomUUID());
  await verifyArgon2(dummyHash, password);
}
