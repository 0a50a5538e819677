import { PlintoError } from "../errors";

/**
 * @simplewebauthn/server reports a failed check by throwing an Error whose
 * message names the check (origin, RP ID, type, flags...). Those messages
 * hold only values the client sent or public settings, so they become the
 * problem's detail; anything else stays a generic failure.
 */
export function verificationFailed(error: unknown): PlintoError {
  if (error instanceof PlintoError) return error;
  const detail = error instanceof Error ? error.message.slice(0, 300) : undefined;
  return new PlintoError("webauthn_verification_failed", detail ? { detail } : {});
}
