import { SignJWT } from "jose";
import { toBase64url } from "../crypto/encoding";
import { digest } from "../crypto/secrets";
import type { TenantScope } from "../deps";
import type { Signer } from "../keys/keyring";
import type { User } from "../model";
import { seconds } from "../ports/clock";
import { userClaimsForScope } from "./user-claims";

export interface IdTokenInput {
  user: User;
  clientId: string;
  /** Granted scope: profile and email release their claims (OIDC Core §5.4). */
  scope: string;
  /** When the user authenticated, ms. */
  authTime: number;
  amr: string[];
  acr: string | null;
  /** The authorization request's nonce (OIDC Core §3.1.2.1); omitted on refresh (§12.2). */
  nonce: string | null;
  /** The access token issued with it, for at_hash. */
  accessToken: string;
  /** The grant's session. */
  sessionId: string;
  now: number;
  ttlSeconds: number;
}

/** The hash whose left half forms at_hash: the one of the ID token's JWS alg (OIDC Core §3.1.3.6; Ed25519: SHA-512). */
const HASH_OF_ALG: Record<Signer["alg"], "SHA-256" | "SHA-384" | "SHA-512"> = { RS256: "SHA-256", ES256: "SHA-256", EdDSA: "SHA-512" };

/** OIDC Core §3.1.3.6 at_hash: base64url of the left-most half of the hash of the access token's ASCII octets. */
export async function accessTokenHash(alg: Signer["alg"], accessToken: string): Promise<string> {
  const hash = await digest(HASH_OF_ALG[alg], accessToken);
  return toBase64url(hash.slice(0, hash.length / 2));
}

/**
 * An ID token (OIDC Core §2): iss, sub, aud = azp = the client, exp, iat,
 * auth_time, nonce, acr, amr, at_hash, sid, and the profile/email claims the
 * scope releases (§5.4). Signed with the tenant's key, `typ` JWT.
 */
export async function signIdToken(signer: Signer, scope: TenantScope, input: IdTokenInput): Promise<string> {
  const iat = seconds(input.now);
  return new SignJWT({
    ...userClaimsForScope(input.user, input.scope),
    auth_time: seconds(input.authTime),
    ...(input.nonce !== null ? { nonce: input.nonce } : {}),
    ...(input.acr !== null ? { acr: input.acr } : {}),
    ...(input.amr.length > 0 ? { amr: input.amr } : {}),
    azp: input.clientId,
    at_hash: await accessTokenHash(signer.alg, input.accessToken),
    sid: input.sessionId,
  })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: "JWT" })
    .setIssuer(scope.issuer)
    .setSubject(input.user.id)
    .setAudience(input.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + input.ttlSeconds)
    .sign(signer.privateKey);
}
