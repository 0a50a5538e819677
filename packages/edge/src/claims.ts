import type { JWTPayload } from "jose";
import { EdgeAuthError } from "./errors";

/**
 * Claims of a Plinto access token: the RFC 9068 §2.2 profile of RFC 7519 §4.1
 * registered claims, plus `sid` (the revocable session), `amr` (RFC 8176),
 * `scope` (RFC 8693 §4.2, space-separated) and the active organization
 * (`org_id`, `org_role`, and `permissions` when the tenant puts them in tokens).
 * Tokens issued to OAuth clients carry `client_id` (RFC 9068 §2.2); a
 * client-credentials token (RFC 6749 §4.4) has `sub` = `client_id` and no
 * `sid` (no session: it is revoked by `jti` only).
 */
export interface PlintoAccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly nbf?: number;
  readonly jti: string;
  /** The session; absent only on client-credentials tokens. */
  readonly sid?: string;
  /** The OAuth client the token was issued to (RFC 9068 §2.2); absent on first-party tokens. */
  readonly client_id?: string;
  /** RFC 9068 §2.2.1: when the user authenticated (OAuth user grants). */
  readonly auth_time?: number;
  readonly acr?: string;
  readonly amr?: readonly string[];
  readonly scope?: string;
  readonly org_id?: string;
  readonly org_role?: string;
  /** The active organization role's `resource:action` permissions. */
  readonly permissions?: readonly string[];
}

/** What a successful verification yields; frozen and shared between repeat verifications of one token. */
export interface VerifiedToken {
  readonly claims: PlintoAccessTokenClaims;
  /** Tenant slug the issuer names (`{origin}/t/{tenant}`). */
  readonly tenant: string;
  /** Signing key id (RFC 7515 §4.1.4) and the algorithm registered for it. */
  readonly kid: string;
  readonly alg: string;
  /** `scope` split on spaces (RFC 6749 §3.3). */
  readonly scopes: readonly string[];
}

/**
 * RFC 7519 §4.1 claims every Plinto access token must carry (RFC 9068 §2.2
 * plus `jti`); `sid` too, except on client-credentials tokens (checkClaims).
 */
export const REQUIRED_CLAIMS: readonly string[] = ["iss", "sub", "aud", "exp", "iat", "jti"];

export interface ExpectedClaims {
  issuer: string;
  audiences: readonly string[];
}

const malformed = (claim: string) => new EdgeAuthError("token_malformed", { detail: `Claim '${claim}' has the wrong type` });

function requireString(payload: JWTPayload, claim: string): void {
  const value = payload[claim];
  if (typeof value !== "string") throw malformed(claim);
  if (value === "") throw new EdgeAuthError("missing_claim", { detail: `Claim '${claim}' is empty` });
}

function optionalString(payload: JWTPayload, claim: string): void {
  if (payload[claim] !== undefined && typeof payload[claim] !== "string") throw malformed(claim);
}

/** RFC 7519 §4.1.3: the token is meant for us when `aud` (a string or an array) names one of our audiences. */
function hasAudience(aud: unknown, audiences: readonly string[]): boolean {
  if (typeof aud === "string") return audiences.includes(aud);
  return Array.isArray(aud) && aud.some((value) => typeof value === "string" && audiences.includes(value));
}

/**
 * RFC 7519 §4.1.4/§4.1.5 with a clock tolerance (RFC 8725 §3.10 leaves the
 * skew to the verifier), plus an `iat` in the future. Runs on every
 * verification, first-seen or cached, so an expired token never slips through
 * the cache. Same rounding as jose: `now` floored to whole seconds.
 */
export function checkTimes(claims: PlintoAccessTokenClaims, nowMs: number, toleranceSeconds: number): void {
  const now = Math.floor(nowMs / 1000);
  if (claims.exp <= now - toleranceSeconds) throw new EdgeAuthError("token_expired");
  if ((claims.nbf !== undefined && claims.nbf > now + toleranceSeconds) || claims.iat > now + toleranceSeconds) {
    throw new EdgeAuthError("token_not_yet_valid");
  }
}

/**
 * Checks what jose's signature and registered-claim checks leave to us: the
 * issuer and audience (RFC 9068 §4), the types of Plinto's own claims, and
 * presence was already enforced through jose's `requiredClaims`.
 */
export function checkClaims(payload: JWTPayload, expected: ExpectedClaims): PlintoAccessTokenClaims {
  if (payload.iss !== expected.issuer) throw new EdgeAuthError("invalid_issuer");
  if (!hasAudience(payload.aud, expected.audiences)) throw new EdgeAuthError("invalid_audience");
  for (const claim of ["sub", "jti"]) requireString(payload, claim);
  optionalString(payload, "client_id");
  if (!isClientCredentialsToken(payload)) requireString(payload, "sid");
  if (typeof payload.exp !== "number" || typeof payload.iat !== "number") throw malformed("exp");
  if (payload.auth_time !== undefined && typeof payload.auth_time !== "number") throw malformed("auth_time");
  for (const claim of ["scope", "org_id", "org_role", "acr"]) optionalString(payload, claim);
  for (const claim of ["amr", "permissions"]) {
    const value = payload[claim];
    if (value !== undefined && !(Array.isArray(value) && value.every((item) => typeof item === "string"))) throw malformed(claim);
  }
  return payload as unknown as PlintoAccessTokenClaims; // every member checked above
}

/**
 * RFC 6749 §4.4: a token a client obtained for itself: no `sid`, and its
 * subject is the client (`sub` = `client_id`). Anything else without `sid` is
 * refused as missing the claim.
 */
function isClientCredentialsToken(payload: JWTPayload): boolean {
  if (payload.sid !== undefined) return false;
  if (typeof payload.client_id !== "string" || payload.client_id === "") throw new EdgeAuthError("missing_claim", { detail: "Claim 'sid' is missing" });
  if (payload.sub !== payload.client_id) throw new EdgeAuthError("missing_claim", { detail: "Claim 'sid' is missing (sub is not the client)" });
  return true;
}

/** RFC 6749 §3.3: `scope` is a space-delimited list. */
export const scopesOf = (claims: PlintoAccessTokenClaims): readonly string[] =>
  claims.scope ? claims.scope.split(" ").filter((scope) => scope !== "") : [];
