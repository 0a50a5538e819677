import { SignJWT } from "jose";
import type { Signer } from "../keys/keyring";

/** RFC 7519 §4.1 registered claims every JWT access token carries (RFC 9068 §2.2). */
export interface RegisteredAccessClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
}

/**
 * JWT access token claims (RFC 9068 profile, RFC 7519 §4.1 registered claims)
 * plus `sid` (the session, revocable) and `amr` (RFC 8176).
 */
export interface AccessTokenClaims extends RegisteredAccessClaims {
  sid: string;
  amr?: string[];
  scope?: string;
  org_id?: string;
  org_role?: string;
  /** The active organization role's `resource:action` permissions, when the tenant puts them in tokens. */
  permissions?: string[];
}

/** RFC 9068 §2.1: JWT access tokens are typed `at+jwt`. */
export const ACCESS_TOKEN_TYPE = "at+jwt";

export async function signAccessToken(signer: Signer, claims: AccessTokenClaims): Promise<string> {
  return signJwtAccessToken(signer, claims);
}

/** Signs the claims of any access token (a session's or an OAuth client's) as an RFC 9068 `at+jwt`. */
export async function signJwtAccessToken(signer: Signer, claims: RegisteredAccessClaims): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
    .sign(signer.privateKey);
}
