import { importPKCS8, SignJWT } from "jose";
import { APPLE_ISSUER } from "./presets";

export interface AppleKey {
  teamId: string;
  keyId: string;
  /** The Services ID the connection signs in with. */
  clientId: string;
  /** The PKCS #8 PEM of the team's "Sign in with Apple" .p8 key. */
  privateKeyPem: string;
  now: number;
}

/** Apple accepts client secrets valid for at most six months; ours live five minutes, one per token request. */
const LIFETIME_SECONDS = 300;

/**
 * Apple's client secret: an ES256 JWT signed with the team's key, `iss` the
 * team id, `sub` the client id, `aud` https://appleid.apple.com, `kid` the key
 * id (Apple "Creating a client secret").
 */
export async function appleClientSecret(key: AppleKey): Promise<string> {
  const privateKey = await importPKCS8(key.privateKeyPem, "ES256");
  const iat = Math.floor(key.now / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: key.keyId })
    .setIssuer(key.teamId)
    .setSubject(key.clientId)
    .setAudience(APPLE_ISSUER)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_SECONDS)
    .sign(privateKey);
}

/** True when `pem` is an ES256 (P-256) PKCS #8 key jose can sign with; checked when the connection is saved. */
export async function isAppleSigningKey(pem: string): Promise<boolean> {
  try {
    await importPKCS8(pem, "ES256");
    return true;
  } catch {
    return false;
  }
}
