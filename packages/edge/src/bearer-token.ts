import { EdgeAuthError } from "./errors";
import type { VerifiedToken } from "./claims";
import type { Verifier } from "./create-verifier";

/** RFC 6750 §2.1: credentials = "Bearer" 1*SP b64token; the scheme is case-insensitive (RFC 9110 §11.1). */
const SCHEME = /^bearer(?: +|$)/i;
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The access token of an `Authorization` header. Only the header method
 * (RFC 6750 §2.1) is supported; tokens in bodies or query strings (§2.2, §2.3)
 * are not read. No header, another scheme or no token: `token_missing`.
 */
export function readBearerToken(authorization: string | null | undefined): string {
  const scheme = authorization ? SCHEME.exec(authorization) : null;
  const token = scheme && authorization ? authorization.slice(scheme[0].length).trimEnd() : "";
  if (token === "") throw new EdgeAuthError("token_missing");
  if (!B64TOKEN.test(token)) throw new EdgeAuthError("token_malformed", { detail: "Authorization header is not 'Bearer <token>'" });
  return token;
}

/** Reads the bearer token of a request and verifies it (for Node, service workers and custom handlers). */
export function authenticateRequest(verifier: Verifier, request: Request): Promise<VerifiedToken> {
  try {
    return verifier.verifyAccessToken(readBearerToken(request.headers.get("authorization")));
  } catch (error) {
    return Promise.reject(error);
  }
}
