import { createRemoteJWKSet, errors as joseErrors, type JWTPayload, jwtVerify } from "jose";
import { PlintoError } from "../errors";
import type { ResolvedProvider } from "./endpoints";
import { UPSTREAM_TIMEOUT_MS } from "./upstream-http";

type RemoteKeys = ReturnType<typeof createRemoteJWKSet>;
/** One remote key set per jwks_uri and isolate: jose caches the keys and refetches on an unknown `kid`. */
const keySets = new Map<string, RemoteKeys>();

function keysAt(jwksUri: string): RemoteKeys {
  let keys = keySets.get(jwksUri);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(jwksUri), { timeoutDuration: UPSTREAM_TIMEOUT_MS });
    keySets.set(jwksUri, keys);
  }
  return keys;
}

const rejected = (detail: string) => new PlintoError("upstream_token_rejected", { detail });

/**
 * Validates an upstream ID token as OIDC Core §3.1.3.7 asks: signature with a
 * key from the discovered `jwks_uri` (asymmetric only), `iss` (item 2, with
 * Microsoft's tenant rule), `aud` contains our client id and `azp` names it
 * when there are several audiences (items 3-5), `exp`/`iat` against the clock
 * (items 9-10), and `nonce` equals the one sent (item 11).
 */
export async function verifyIdToken(
  provider: ResolvedProvider,
  idToken: string,
  expected: { clientId: string; nonce: string | null; now: number },
): Promise<JWTPayload> {
  if (!provider.jwksUri) throw rejected("the provider has no jwks_uri");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, keysAt(provider.jwksUri), {
      audience: expected.clientId,
      currentDate: new Date(expected.now),
      clockTolerance: 60,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat"],
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw rejected(`the ID token failed verification (${error.code})`);
    throw error;
  }
  if (typeof payload.iss !== "string" || !provider.acceptsIdTokenIssuer(payload.iss, payload)) throw rejected("the ID token names another issuer");
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) throw rejected("the ID token's azp is not this client");
  if (expected.nonce !== null && payload.nonce !== expected.nonce) throw rejected("the ID token's nonce does not match this sign-in");
  if (typeof payload.sub !== "string" || payload.sub === "") throw rejected("the ID token has no subject");
  return payload;
}
