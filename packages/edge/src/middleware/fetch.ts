import type { BearerErrorOptions } from "../bearer-error";
import { bearerErrorResponse } from "../bearer-error";
import { authenticateRequest } from "../bearer-token";
import type { VerifiedToken } from "../claims";
import type { Verifier } from "../create-verifier";
import { EdgeAuthError } from "../errors";

/** A `fetch(request, env, ctx)` handler that also receives the verified token. */
export type AuthenticatedHandler<E, C> = (request: Request, env: E, ctx: C, auth: VerifiedToken) => Response | Promise<Response>;

/**
 * Wraps a Workers-style `fetch(request, env, ctx)` handler: the handler runs
 * only with a verified token; refusals (also `assertScope`/`assertOrgRole`
 * thrown by the handler) become RFC 6750 §3 responses. `source` may be a
 * function of `env` for bindings (memoize it: one verifier per isolate).
 */
export function withPlintoAuth<E = unknown, C = unknown>(
  source: Verifier | ((env: E) => Verifier),
  handler: AuthenticatedHandler<E, C>,
  options: BearerErrorOptions = {},
): (request: Request, env: E, ctx: C) => Promise<Response> {
  const verifierOf = typeof source === "function" ? source : () => source;
  return async (request, env, ctx) => {
    try {
      const auth = await authenticateRequest(verifierOf(env), request);
      return await handler(request, env, ctx, auth);
    } catch (error) {
      if (error instanceof EdgeAuthError) return bearerErrorResponse(error, options);
      throw error;
    }
  };
}
