/**
 * bcrypt (`$2a$`, `$2b$`, `$2y$`), imported hashes only, via bcryptjs.
 * bcrypt uses at most the first 72 bytes of the UTF-8 password; that is the
 * algorithm's semantics and we keep it, so imported users still sign in.
 */
import bcrypt from "bcryptjs";
import { digestsEqual } from "./constant-time";

/** Cost 14 is about 1.2 s in bcryptjs; imports rarely exceed 12. */
export const BCRYPT_MAX_COST = 14;
const BCRYPT_MIN_COST = 4;

/** `$2b$10$` + 22 characters of salt + 31 of checksum. */
const BCRYPT = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/;
const SETTINGS_LENGTH = 29;

export function isBcryptHash(stored: string): boolean {
  return /^\$2[aby]\$/.test(stored);
}

export async function verifyBcrypt(stored: string, password: string): Promise<boolean> {
  const match = BCRYPT.exec(stored);
  if (!match) return false;
  const cost = Number(match[1]);
  if (cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST) return false;
  let computed: string;
  try {
    computed = bcrypt.hashSync(password, stored.slice(0, SETTINGS_LENGTH));
  } catch {
    return false;
  }
  // Compare only the checksum: the salt is public and bcryptjs re-encodes it.
  const encoder = new TextEncoder();
  return digestsEqual(
    encoder.encode(computed.slice(SETTINGS_LENGTH)),
    encoder.encode(stored.slice(SETTINGS_LENGTH)),
  );
}
