import { SignJWT } from "jose";
import type { Signer } from "../keys/keyring";

/**
 * JWT access token claims (RFC 9068 profile, RFC 7519 §4.1 registered claims)
 * plus `sid` (the session, revocable) and `amr` (RFC 8176).
 */
export interface AccessTokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  exp: number;
  iat: number;
  nbf: number;
  jti: string;
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
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
    .sign(signer.privateKey);
}
