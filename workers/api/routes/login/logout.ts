import { authorizationResponseUri, PlintoError, resolveLogoutClient, verifyIdTokenHint } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { renderPage } from "../../views/login/layout";
import { logoutBody, signedOutBody } from "../../views/login/logout-view";
import { csrfToken, requireCsrf } from "./csrf";
import { renderHostedError, hostedErrorHandler } from "./hosted-error";
import { currentLoginSession, endLoginSession } from "./login-session";
import { redirectStatus } from "./resume-authorization";

/**
 * OIDC RP-Initiated Logout 1.0: `{issuer}/oauth/end_session` (GET and POST, §2) and the hosted
 * `/logout` confirmation page and its form. Signing out revokes the login session and the OAuth
 * grants made from it; the browser then returns to a registered post_logout_redirect_uri with state (§3).
 */
export const logoutRoutes = new Hono<AppEnv>();
logoutRoutes.onError(hostedErrorHandler);

interface LogoutParams {
  idTokenHint: string | null;
  clientId: string | null;
  postLogoutRedirectUri: string | null;
  state: string | null;
}

function logoutParams(values: Record<string, unknown>): LogoutParams {
  const text = (name: string) => (typeof values[name] === "string" && values[name] !== "" ? (values[name] as string).slice(0, 2_048) : null);
  return {
    idTokenHint: text("id_token_hint"),
    clientId: text("client_id"),
    postLogoutRedirectUri: text("post_logout_redirect_uri"),
    state: text("state"),
  };
}

/** Where the browser goes once signed out: the validated post_logout_redirect_uri (with state), or the signed-out page. */
function afterSignOut(c: Context<AppEnv>, params: LogoutParams): Response | Promise<Response> {
  if (!params.postLogoutRedirectUri) return renderPage(c, { title: "Signed out", body: signedOutBody(c.get("scope").issuer) });
  const target = params.state ? authorizationResponseUri(params.postLogoutRedirectUri, { state: params.state }) : params.postLogoutRedirectUri;
  return c.redirect(target, redirectStatus(c));
}

/** Checks id_token_hint and the client's post_logout_redirect_uri; a bad one is told to the user, never redirected to. */
async function handleLogout(c: Context<AppEnv>, params: LogoutParams, confirmed: boolean): Promise<Response> {
  const deps = c.get("deps");
  const scope = c.get("scope");
  try {
    const hint = params.idTokenHint ? await verifyIdTokenHint(deps, scope, params.idTokenHint) : null;
    const client = await resolveLogoutClient(deps, scope, {
      clientId: params.clientId,
      hintAudience: hint?.aud ?? null,
      postLogoutRedirectUri: params.postLogoutRedirectUri,
    });
    const login = await currentLoginSession(c);
    // A genuine ID token naming the signed-in user is the RP asking on their behalf: no question needed.
    if (!login || confirmed || (hint && hint.sub === login.user.id)) {
      await endLoginSession(c);
      return afterSignOut(c, params);
    }
    return renderPage(c, {
      title: "Sign out",
      formTargets: params.postLogoutRedirectUri ? [params.postLogoutRedirectUri] : [],
      body: logoutBody({ issuer: scope.issuer, csrfToken: await csrfToken(c), email: login.user.email, clientId: client?.id ?? null, postLogoutRedirectUri: params.postLogoutRedirectUri, state: params.state }),
    });
  } catch (error) {
    if (error instanceof PlintoError && error.status < 500) return renderHostedError(c, error);
    throw error;
  }
}

logoutRoutes.get("/oauth/end_session", (c) => handleLogout(c, logoutParams(c.req.query()), false));
logoutRoutes.post("/oauth/end_session", async (c) => handleLogout(c, logoutParams(await c.req.parseBody()), false));
logoutRoutes.get("/logout", (c) => handleLogout(c, logoutParams(c.req.query()), false));
logoutRoutes.post("/logout", requireCsrf, async (c) => handleLogout(c, logoutParams(await c.req.parseBody()), true));
