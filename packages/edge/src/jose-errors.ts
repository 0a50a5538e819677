import { errors } from "jose";
import { EdgeAuthError, type EdgeAuthErrorCode } from "./errors";

/** Which stable code a jose claim failure becomes (RFC 7519 §4.1, RFC 9068 §4). */
function claimCode(error: errors.JWTClaimValidationFailed): EdgeAuthErrorCode {
  if (error.reason === "missing") return "missing_claim";
  switch (error.claim) {
    case "typ":
      return "invalid_type";
    case "nbf":
    case "iat":
      return "token_not_yet_valid";
    case "iss":
      return "invalid_issuer";
    case "aud":
      return "invalid_audience";
    default:
      return "token_malformed";
  }
}

/**
 * Maps an error thrown by jose's `jwtVerify` to an `EdgeAuthError`. jose's own
 * messages stay in `cause`; the client sees only the catalog description.
 * Anything that is not a JOSE error is a bug, not a bad token: it is rethrown.
 */
export function fromJoseError(error: unknown): EdgeAuthError {
  if (error instanceof EdgeAuthError) return error;
  if (!(error instanceof errors.JOSEError)) throw error;
  const code: EdgeAuthErrorCode =
    error instanceof errors.JWSSignatureVerificationFailed
      ? "invalid_signature"
      : error instanceof errors.JWTExpired
        ? "token_expired"
        : error instanceof errors.JWTClaimValidationFailed
          ? claimCode(error)
          : error instanceof errors.JOSEAlgNotAllowed
            ? "unsupported_algorithm"
            : "token_malformed"; // JWSInvalid, JWTInvalid, JOSENotSupported (an unknown `crit`, RFC 7515 §4.1.11)
  const detail = code === "missing_claim" && error instanceof errors.JWTClaimValidationFailed ? `Claim '${error.claim}' is missing` : undefined;
  return new EdgeAuthError(code, { cause: error, detail });
}
