/**
 * PasswordHasher adapter: hashes with argon2id, verifies argon2 and the
 * imported bcrypt, scrypt and PBKDF2 formats, dispatching on the stored
 * string. Anything unrecognised or malformed verifies as false; this module
 * never logs, and never puts a password or hash in an error.
 */
import type { PasswordCheck, PasswordHasher } from "../../../../packages/core/src/ports/password-hasher";
import { hashArgon2id, isArgon2Hash, verifyArgon2, verifyArgon2Dummy } from "./argon2id";
import { isBcryptHash, verifyBcrypt } from "./bcrypt";
import { verifyRawThenNormalized } from "./normalize";
import { isPbkdf2Hash, verifyPbkdf2 } from "./pbkdf2";
import { isScryptHash, verifyScrypt } from "./scrypt";

export { ARGON2ID_PARAMS, ARGON2_LIMITS } from "./argon2id";
export { BCRYPT_MAX_COST } from "./bcrypt";
export { PBKDF2_LIMITS } from "./pbkdf2";
export { SCRYPT_LIMITS } from "./scrypt";

interface ImportedScheme {
  recognizes(stored: string): boolean;
  verify(stored: string, password: string): Promise<boolean>;
}

const IMPORTED_SCHEMES: readonly ImportedScheme[] = [
  { recognizes: isBcryptHash, verify: verifyBcrypt },
  { recognizes: isScryptHash, verify: verifyScrypt },
  { recognizes: isPbkdf2Hash, verify: verifyPbkdf2 },
];

const NO_MATCH: PasswordCheck = { ok: false, needsRehash: false };

async function verify(stored: string, password: string): Promise<PasswordCheck> {
  if (typeof stored !== "string" || typeof password !== "string") return NO_MATCH;
  if (isArgon2Hash(stored)) return verifyArgon2(stored, password);
  const scheme = IMPORTED_SCHEMES.find((candidate) => candidate.recognizes(stored));
  if (!scheme) return NO_MATCH;
  const ok = await verifyRawThenNormalized(password, (candidate) => scheme.verify(stored, candidate));
  // Imported hashes are always replaced by argon2id after a successful sign-in.
  return { ok, needsRehash: ok };
}

export function createPasswordHasher(): PasswordHasher {
  return {
    hash: hashArgon2id,
    verify,
    verifyAgainstDummy: verifyArgon2Dummy,
  };
}
