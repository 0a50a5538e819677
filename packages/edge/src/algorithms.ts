/**
 * JWS algorithms a Plinto verification key may carry. Asymmetric only: `none`
 * and the HMAC family are never accepted (RFC 8725 §2.1, §3.1), which rules out
 * the classic "HS256 signed with the RSA public key" confusion before any key
 * is touched. The key's own `alg` then narrows this to exactly one algorithm.
 */
export const ASYMMETRIC_ALGORITHMS: readonly string[] = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
];

const allowed = new Set(ASYMMETRIC_ALGORITHMS);

export const isAllowedAlgorithm = (alg: unknown): alg is string => typeof alg === "string" && allowed.has(alg);

/** RFC 9068 §2.1 / §4: access tokens are typed `at+jwt` (jose also accepts `application/at+jwt`). */
export const ACCESS_TOKEN_TYPE = "at+jwt";
