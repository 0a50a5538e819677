import type { TenantSettings } from "@plinto/contracts";
import { PlintoError } from "../errors";
import { isCommonPassword } from "./common-passwords";

/** Upper bound on password length: bounds hashing cost (NIST SP 800-63B §5.1.1.2 asks for at least 64). */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * Checks a new password against the tenant policy. Length counts Unicode code
 * points, as NIST SP 800-63B §5.1.1.2 asks. Throws `weak_password` with the reason,
 * naming `field` (the request body's name for the password) as the failing path.
 */
export function assertPasswordAllowed(
  password: string,
  policy: TenantSettings["password_policy"],
  email: string,
  field = "password",
): void {
  const length = [...password].length;
  const reject = (message: string, code: string) => {
    throw new PlintoError("weak_password", { detail: message, errors: [{ path: field, message, code }] });
  };
  if (length < policy.min_length) reject(`must be at least ${policy.min_length} characters`, "too_short");
  if (length > MAX_PASSWORD_LENGTH) reject(`must be at most ${MAX_PASSWORD_LENGTH} characters`, "too_long");
  if (policy.reject_common_passwords && isCommonPassword(password)) {
    reject("is too common; choose a less guessable password", "too_common");
  }
  const lowered = password.toLowerCase();
  const local = email.split("@")[0]?.toLowerCase() ?? "";
  if (lowered === email.toLowerCase() || (local.length >= 4 && lowered === local)) {
    reject("must not be your email address", "contains_email");
  }
  if (/^(.)\1+$/u.test(password)) reject("must not repeat a single character", "repetitive");
}
