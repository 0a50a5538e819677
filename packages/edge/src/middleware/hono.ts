import type { Context, Env, MiddlewareHandler } from "hono";
import { assertOrgRole, assertPermission, assertScope } from "../access";
import { type BearerErrorOptions, bearerErrorResponse } from "../bearer-error";
import { readBearerToken } from "../bearer-token";
import type { VerifiedToken } from "../claims";
import { createVerifier, type Verifier } from "../create-verifier";
import { EdgeAuthError } from "../errors";
import type { VerifierOptions } from "../options";

/** Hono variables `plintoAuth` sets: `c.get("auth")` / `c.var.auth`. */
export interface PlintoAuthVariables {
  auth: VerifiedToken;
}
export interface PlintoAuthEnv {
  Variables: PlintoAuthVariables;
}

/** A verifier, options to create one, or a function of the context (for bindings on `c.env`; memoize it). */
export type VerifierSource<E extends Env> = Verifier | VerifierOptions | ((c: Context<E & PlintoAuthEnv>) => Verifier);

const isVerifier = (value: object): value is Verifier => "verifyAccessToken" in value;

function verifierFor<E extends Env>(source: VerifierSource<E>): (c: Context<E & PlintoAuthEnv>) => Verifier {
  if (typeof source === "function") return source;
  const verifier = isVerifier(source) ? source : createVerifier(source);
  return () => verifier;
}

/** Runs `guard`; a refusal becomes the RFC 6750 response, anything else propagates to `app.onError`. */
async function guarded(guard: () => Promise<void>, options: BearerErrorOptions): Promise<Response | undefined> {
  try {
    await guard();
    return undefined;
  } catch (error) {
    if (error instanceof EdgeAuthError) return bearerErrorResponse(error, options);
    throw error;
  }
}

/**
 * Hono middleware: verifies the `Authorization: Bearer` token (RFC 6750 §2.1)
 * and sets `c.get("auth")`, or answers 401/403/503 per RFC 6750 §3.
 */
export function plintoAuth<E extends Env = PlintoAuthEnv>(
  source: VerifierSource<E>,
  options: BearerErrorOptions = {},
): MiddlewareHandler<E & PlintoAuthEnv> {
  const verifierOf = verifierFor(source);
  return async (c, next) => {
    const refused = await guarded(async () => {
      const auth = await verifierOf(c).verifyAccessToken(readBearerToken(c.req.header("authorization")));
      c.set("auth", auth);
    }, options);
    if (refused) return refused;
    await next();
  };
}

function requireAuth(check: (auth: VerifiedToken) => void, options: BearerErrorOptions): MiddlewareHandler<PlintoAuthEnv> {
  return async (c, next) => {
    const refused = await guarded(async () => {
      const auth: VerifiedToken | undefined = c.get("auth");
      if (!auth) throw new EdgeAuthError("token_missing");
      check(auth);
    }, options);
    if (refused) return refused;
    await next();
  };
}

/** Hono middleware after `plintoAuth`: 403 `insufficient_scope` unless the token has every one of `scopes`. */
export const requireScope = (...scopes: string[]): MiddlewareHandler<PlintoAuthEnv> =>
  requireAuth((auth) => assertScope(auth, ...scopes), {});

/** Hono middleware after `plintoAuth`: 403 unless the token's `permissions` grant every one of `permissions`. */
export const requirePermission = (...permissions: string[]): MiddlewareHandler<PlintoAuthEnv> =>
  requireAuth((auth) => assertPermission(auth, ...permissions), {});

/** Hono middleware after `plintoAuth`: 403 unless the token's `org_role` is one of `roles`. */
export const requireOrgRole = (...roles: string[]): MiddlewareHandler<PlintoAuthEnv> =>
  requireAuth((auth) => assertOrgRole(auth, ...roles), {});
