import {
  type AuthorizationParameters,
  authorizationErrorUri,
  checkAuthorizationRequest,
  PlintoError,
  storeAuthorizationRequest,
  toOAuthError,
} from "@plinto/core";
import { Hono, type Context } from "hono";
import type { AppEnv } from "../../app-env";
import { renderErrorPage, hostedErrorHandler } from "../login/hosted-error";
import { redirectStatus, resumeAuthorization } from "../login/resume-authorization";

/**
 * The authorization endpoint (RFC 6749 §3.1, §4.1.1; OIDC Core §3.1.2.1): GET, and POST with a
 * form body (OIDC Core §3.1.2.1 requires both). A request whose client or redirect_uri is bad is
 * told to the user on the hosted error page and never redirected (RFC 6749 §4.1.2.1); other
 * errors go back to the redirect_uri with error, error_description, state and iss (RFC 9207).
 * A valid request is stored (10 minutes) and resumed: sign-in, consent, then the code.
 */
export const authorizeRoutes = new Hono<AppEnv>();
authorizeRoutes.onError(hostedErrorHandler);

/** RFC 6749 §3.1: parameters without a value count as omitted; none may repeat but `resource` (RFC 8707 §2). */
function authorizationParameters(entries: Iterable<[string, string]>): AuthorizationParameters {
  const params: Record<string, string> = {};
  const resources: string[] = [];
  const duplicates: string[] = [];
  for (const [name, value] of entries) {
    if (value === "") continue;
    if (name === "resource") resources.push(value);
    else if (name in params) duplicates.push(name);
    else params[name] = value;
  }
  return { params, resources, duplicates };
}

async function authorize(c: Context<AppEnv>, input: AuthorizationParameters): Promise<Response> {
  const deps = c.get("deps");
  const scope = c.get("scope");
  const check = await checkAuthorizationRequest(deps, scope, input);
  if (check.status === "invalid_client_or_redirect") {
    return renderErrorPage(c, `This sign-in link is not valid: ${check.description}. Go back to the app and try again.`, 400);
  }
  if (check.status === "redirect_error") {
    const oauth = toOAuthError(check.error);
    return c.redirect(authorizationErrorUri(scope, check.redirectUri, check.state, oauth.error, oauth.description), redirectStatus(c));
  }
  let id: string;
  try {
    id = await storeAuthorizationRequest(deps, scope, check.request);
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    // RFC 6749 §4.1.2.1 temporarily_unavailable (toOAuthError maps the 429).
    const oauth = toOAuthError(error);
    return c.redirect(authorizationErrorUri(scope, check.request.redirectUri, check.request.state, oauth.error, oauth.description), redirectStatus(c));
  }
  return resumeAuthorization(c, { id, client: check.client, request: check.request });
}

authorizeRoutes.get("/oauth/authorize", (c) => authorize(c, authorizationParameters(new URL(c.req.url).searchParams.entries())));

authorizeRoutes.post("/oauth/authorize", async (c) => {
  const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/x-www-form-urlencoded") {
    return renderErrorPage(c, "This sign-in request is not valid: it must be a form submission.", 400);
  }
  return authorize(c, authorizationParameters(new URLSearchParams(new TextDecoder().decode(await c.req.arrayBuffer())).entries()));
});
