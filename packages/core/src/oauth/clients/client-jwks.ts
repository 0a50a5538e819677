import { importJWK, type JWK } from "jose";
import { PlintoError } from "../../errors";
import { CLIENT_AUTH_SIGNING_ALGORITHMS } from "./client-assertion";

/** JWK members that only a private or symmetric key has (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];
/** The algorithm a key of each type/curve verifies, when the JWK names none. */
const DEFAULT_ALG: Record<string, string> = { RSA: "RS256", "EC:P-256": "ES256", "OKP:Ed25519": "EdDSA" };
const ALLOWED = new Set<string>(CLIENT_AUTH_SIGNING_ALGORITHMS);

const isJwk = (value: Record<string, unknown>): value is JWK & Record<string, unknown> => typeof value.kty === "string";
const invalid = (detail: string): PlintoError => new PlintoError("invalid_client_metadata", { detail: `jwks: ${detail}` });

function algorithmOf(jwk: Record<string, unknown>): string {
  if (typeof jwk.alg === "string") {
    if (!ALLOWED.has(jwk.alg)) throw invalid(`alg ${jwk.alg.slice(0, 20)} is not one of ${[...ALLOWED].join(", ")}`);
    return jwk.alg;
  }
  const kind = jwk.kty === "RSA" ? "RSA" : `${String(jwk.kty)}:${String(jwk.crv)}`;
  const alg = DEFAULT_ALG[kind];
  if (!alg) throw invalid("keys must be RSA, EC P-256 or OKP Ed25519 signing keys");
  return alg;
}

/**
 * Public signing keys for private_key_jwt (RFC 7591 §2 `jwks`): each key is a
 * public RSA, P-256 or Ed25519 key that jose can import, used for signatures
 * only; a private or symmetric key is refused so a shared secret can never
 * stand in for a key pair.
 */
export async function validateClientJwks(jwks: { keys: Record<string, unknown>[] }): Promise<{ keys: Record<string, unknown>[] }> {
  const kids = new Set<string>();
  for (const jwk of jwks.keys) {
    if (PRIVATE_MEMBERS.some((member) => member in jwk)) throw invalid("keys must be public keys (no private or symmetric members)");
    if (jwk.use !== undefined && jwk.use !== "sig") throw invalid("keys must have use sig");
    if (jwk.kid !== undefined) {
      if (typeof jwk.kid !== "string" || kids.has(jwk.kid)) throw invalid("kid values must be distinct strings");
      kids.add(jwk.kid);
    }
    const alg = algorithmOf(jwk);
    if (!isJwk(jwk)) throw invalid("each key needs a kty");
    try {
      await importJWK(jwk, alg);
    } catch {
      throw invalid(`a key is not a valid ${alg} public key`);
    }
  }
  if (jwks.keys.length > 1 && kids.size !== jwks.keys.length) throw invalid("with several keys, each needs a kid");
  return { keys: jwks.keys.map((jwk) => ({ ...jwk })) };
}
