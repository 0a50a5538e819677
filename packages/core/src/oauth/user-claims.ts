import type { User } from "../model";

/**
 * Standard claims (OIDC Core §5.1) Plinto can state about a user, by the scope
 * that releases them (§5.4). `sub` is always released.
 */
export interface UserClaims {
  sub: string;
  name?: string;
  /** Seconds since the epoch (OIDC Core §5.1 updated_at). */
  updated_at?: number;
  email?: string;
  email_verified?: boolean;
}

/** Claims of the user released by `scope` (space-separated, RFC 6749 §3.3). */
export function userClaimsForScope(user: User, scope: string): UserClaims {
  const granted = new Set(scope.split(" "));
  const claims: UserClaims = { sub: user.id };
  if (granted.has("profile")) {
    if (user.name !== null) claims.name = user.name;
    claims.updated_at = Math.floor(user.updatedAt / 1000);
  }
  if (granted.has("email")) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  return claims;
}

/**
 * OIDC Discovery §3 claims_supported: what ID tokens and userinfo can carry
 * (OIDC Core §2 ID token claims, and the §5.1 claims above).
 */
export const CLAIMS_SUPPORTED = [
  "iss",
  "sub",
  "aud",
  "exp",
  "iat",
  "auth_time",
  "nonce",
  "acr",
  "amr",
  "azp",
  "at_hash",
  "sid",
  "name",
  "updated_at",
  "email",
  "email_verified",
] as const;
