import { createLocalJWKSet, decodeJwt, errors, type JWK, jwtVerify } from "jose";
import { sha256 } from "../../crypto/secrets";
import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";

/** RFC 7523 §2.2 client_assertion_type for a JWT client assertion. */
export const JWT_BEARER_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** Asymmetric algorithms only: `none` and HMAC (a shared secret) never authenticate a private_key_jwt client. */
export const CLIENT_AUTH_SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256", "EdDSA"] as const;
/** An assertion may live at most this long from now (RFC 7523 §3 item 4 lets the server limit it). */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;
/** Allowed clock skew between client and server on exp/nbf. */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_ASSERTION_LENGTH = 8_192;

const fail = (detail: string): PlintoError => new PlintoError("invalid_client", { detail });

/** The client an assertion claims to come from (`iss`, which must equal `sub`), read before any key is chosen. */
export function assertionClientId(assertion: string): string {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw fail("client_assertion is too long");
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(assertion);
  } catch {
    throw fail("client_assertion is not a JWT");
  }
  if (typeof claims.iss !== "string" || claims.iss === "" || claims.sub !== claims.iss) {
    throw fail("client_assertion iss and sub must both be the client_id (RFC 7523 §3)");
  }
  return claims.iss;
}

const isJwk = (value: Record<string, unknown>): value is JWK & Record<string, unknown> => typeof value.kty === "string";

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "client_assertion has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return `client_assertion ${error.claim} claim is invalid`;
  if (error instanceof errors.JOSEAlgNotAllowed) return "client_assertion alg is not allowed (RS256, PS256, ES256, EdDSA)";
  if (error instanceof errors.JWKSNoMatchingKey) return "no registered key matches the client_assertion header";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "client_assertion signature is invalid";
  return "client_assertion could not be verified";
}

/**
 * private_key_jwt (OIDC Core §9, RFC 7523 §2.2 and §3): the assertion is
 * signed by one of the client's registered public keys (chosen by `kid`),
 * iss = sub = client_id, `aud` names this endpoint, the token endpoint or the
 * issuer, `exp` is present and at most five minutes ahead, and `jti` is used
 * once: it is remembered until the assertion expires (RFC 7523 §3 item 7).
 */
export async function verifyClientAssertion(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  assertion: string,
  endpointUrl: string,
): Promise<void> {
  const keys = (client.jwks?.keys ?? []).filter(isJwk);
  if (keys.length === 0) throw fail("the client has no registered keys");
  const now = deps.clock.now();
  let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet({ keys }), {
      algorithms: [...CLIENT_AUTH_SIGNING_ALGORITHMS],
      issuer: client.id,
      subject: client.id,
      audience: [endpointUrl, `${scope.issuer}/oauth/token`, scope.issuer],
      requiredClaims: ["exp", "jti"],
      currentDate: new Date(now),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }));
  } catch (error) {
    throw fail(describeJoseError(error));
  }
  const exp = payload.exp ?? 0;
  if (exp * 1000 - now > MAX_ASSERTION_LIFETIME_SECONDS * 1000) {
    throw fail(`client_assertion exp may be at most ${MAX_ASSERTION_LIFETIME_SECONDS} seconds ahead`);
  }
  if (typeof payload.jti !== "string" || payload.jti === "" || payload.jti.length > 256) throw fail("client_assertion jti is invalid");
  const firstUse = await deps.storage.oneTimeTokens.insertIfAbsent({
    // Keyed by purpose, client and jti: another client may use the same jti (RFC 7523 §3 item 7 is per issuer).
    id: await sha256(`oauth_client_assertion:${client.id}:${payload.jti}`),
    tenantId: scope.tenant.id,
    purpose: "oauth_client_assertion",
    subject: client.id,
    codeHash: null,
    attempts: 0,
    data: {},
    createdAt: now,
    expiresAt: (exp + CLOCK_TOLERANCE_SECONDS) * 1000,
  });
  if (!firstUse) throw fail("client_assertion jti was already used");
}
