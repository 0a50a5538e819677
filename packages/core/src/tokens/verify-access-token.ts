import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify } from "jose";
import { PlintoError } from "../errors";
import type { Keyring } from "../keys/keyring";
import type { SigningKeyRepository } from "../ports/repositories";
import { ACCESS_TOKEN_TYPE, type AccessTokenClaims } from "./access-token";

/** Tokens longer than this are refused before any parsing (a signed JWT of ours is < 2 KiB). */
export const MAX_TOKEN_LENGTH = 8_192;

export interface VerifyAccessTokenInput {
  token: string;
  tenantId: string;
  issuer: string;
  audience: string;
  now: number;
  keyring: Keyring;
  keys: SigningKeyRepository;
}

const invalid = (detail: string) => new PlintoError("invalid_token", { detail });

/**
 * Verifies a first-party Plinto access token (the auth API's own tokens):
 * signature, `iss`, `aud`, `sid`. Tokens issued to OAuth clients carry
 * `client_id` and are refused here: third-party tokens may not drive the
 * first-party API (/api/v1/me and the rest).
 */
export async function verifyAccessToken(input: VerifyAccessTokenInput): Promise<AccessTokenClaims> {
  const payload = await verifySignedAccessToken(input, ["sub", "exp", "iat", "jti", "sid"]);
  if (typeof payload.sid !== "string" || typeof payload.sub !== "string") throw invalid("malformed claims");
  if (payload.client_id !== undefined) throw invalid("tokens issued to OAuth clients cannot call this API");
  return payload as unknown as AccessTokenClaims;
}

/**
 * Verifies a Plinto access token against the tenant's own published keys:
 * the key is chosen by `kid` among the tenant's keys only (never from `jku`,
 * `x5u` or `jwk` headers), and the algorithm must be the one registered for
 * that key (RFC 8725 §3.1), which rules out `none` and HS256-with-public-key.
 * `audience` null skips the audience check (introspection of tokens for other APIs).
 */
export async function verifySignedAccessToken(
  input: Omit<VerifyAccessTokenInput, "audience"> & { audience: string | null },
  requiredClaims: string[],
): Promise<JWTPayload> {
  if (input.token.length > MAX_TOKEN_LENGTH) throw invalid("token too large");
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(input.token).kid;
  } catch {
    throw invalid("malformed token");
  }
  if (typeof kid !== "string" || kid.length === 0 || kid.length > 64) throw invalid("token has no usable kid");
  const found = await input.keyring.verificationKey(input.keys, input.tenantId, kid, input.now);
  if (!found) throw invalid("unknown or revoked signing key");
  try {
    const { payload } = await jwtVerify(input.token, found.crypto, {
      algorithms: [found.key.alg],
      issuer: input.issuer,
      ...(input.audience === null ? {} : { audience: input.audience }),
      typ: ACCESS_TOKEN_TYPE,
      requiredClaims,
      currentDate: new Date(input.now),
      clockTolerance: 5,
    });
    return payload;
  } catch (error) {
    if (error instanceof PlintoError) throw error;
    if (error instanceof errors.JWTExpired) throw invalid("token expired");
    if (error instanceof errors.JOSEError) throw invalid("token rejected");
    throw error;
  }
}
