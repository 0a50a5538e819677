import {
  approveAuthorization,
  nextAuthorizationStep,
  type PendingAuthorization,
  PlintoError,
  rejectAuthorization,
  toOAuthError,
} from "@plinto/core";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { currentLoginSession } from "./login-session";

/** 302 after a GET, 303 after a POST so the browser follows with a GET (RFC 9700 §4.12). */
export const redirectStatus = (c: Context<AppEnv>) => (c.req.method === "POST" ? 303 : 302);

/**
 * Moves a stored authorization request on: to the sign-in page, to the consent screen, or back to
 * the client with a code. Errors the client may learn of (prompt=none's login_required and
 * consent_required, a request completed twice) go to its redirect_uri (RFC 6749 §4.1.2.1).
 */
export async function resumeAuthorization(c: Context<AppEnv>, pending: PendingAuthorization): Promise<Response> {
  const deps = c.get("deps");
  const scope = c.get("scope");
  const query = `?request=${encodeURIComponent(pending.id)}`;
  try {
    const next = await nextAuthorizationStep(deps, scope, pending, await currentLoginSession(c));
    if (next.step === "login") return c.redirect(`${scope.issuer}/login${query}`, redirectStatus(c));
    if (next.step === "consent") return c.redirect(`${scope.issuer}/login/consent${query}`, redirectStatus(c));
    return c.redirect(await approveAuthorization(deps, scope, pending, next.login), redirectStatus(c));
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    const oauth = toOAuthError(error);
    return c.redirect(await rejectAuthorization(deps, scope, pending, oauth.error, oauth.description), redirectStatus(c));
  }
}
