import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | null = null;

/**
 * True when the password (case-insensitively) is on the bundled list of about
 * 50,000 most common passwords from @zxcvbn-ts/language-common (NIST SP
 * 800-63B §5.1.1.2: check against values known to be commonly used). The list
 * is decompressed on first use, not at isolate start.
 */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary["passwords-common"]?.map((entry) => String(entry).toLowerCase()) ?? []);
  return common.has(password.toLowerCase());
}
