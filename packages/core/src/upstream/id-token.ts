import { createLocalJWKSet, errors as joseErrors, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { PlintoError } from "../errors";
import type { ResolvedProvider } from "./endpoints";
import { upstreamJson } from "./upstream-http";

const KEYS_CACHE_MS = 10 * 60_000;
/**
 * The provider's JWKS as plain JSON per jwks_uri and isolate (ten minutes). Only
 * data is shared between requests, never a pending fetch: on Workers an I/O
 * promise of one request must not be awaited by another.
 */
const keySets = new Map<string, { jwks: JSONWebKeySet; until: number }>();

async function fetchKeys(jwksUri: string, now: number): Promise<JSONWebKeySet> {
  const { status, body } = await upstreamJson(jwksUri);
  if (status !== 200 || !Array.isArray(body.keys)) throw new PlintoError("upstream_unavailable", { detail: `the provider's jwks_uri answered ${status} without keys` });
  const jwks = { keys: body.keys.filter((key): key is JSONWebKeySet["keys"][number] => typeof key === "object" && key !== null) };
  keySets.set(jwksUri, { jwks, until: now + KEYS_CACHE_MS });
  return jwks;
}

/** Asymmetric JWS algorithms only: a provider's ID token is never checked with a shared secret here. */
const ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "Ed25519"];

const rejected = (detail: string) => new PlintoError("upstream_token_rejected", { detail });

async function verifySignature(jwksUri: string, idToken: string, clientId: string, now: number): Promise<JWTPayload> {
  const cached = keySets.get(jwksUri);
  const fresh = !cached || cached.until <= now;
  const options = { algorithms: ALGORITHMS, audience: clientId, currentDate: new Date(now), clockTolerance: 60, requiredClaims: ["iss", "sub", "aud", "exp", "iat"] };
  try {
    const jwks = fresh ? await fetchKeys(jwksUri, now) : cached.jwks;
    return (await jwtVerify(idToken, createLocalJWKSet(jwks), options)).payload;
  } catch (error) {
    // An unknown kid after the provider rotated its keys: fetch the set once more (OIDC Core §10.1.1).
    if (error instanceof joseErrors.JWKSNoMatchingKey && !fresh) {
      return (await jwtVerify(idToken, createLocalJWKSet(await fetchKeys(jwksUri, now)), options)).payload;
    }
    throw error;
  }
}

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
    payload = await verifySignature(provider.jwksUri, idToken, expected.clientId, expected.now);
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
