import { approveAuthorization, describeScopes, rejectAuthorization, rememberConsent, type OAuthClient } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { consentBody } from "../../views/login/consent-view";
import { renderPage } from "../../views/login/layout";
import { csrfToken } from "./csrf";
import { formText, type LoginFlow, loginFlowFromForm, loginFlowFromQuery } from "./login-flow";
import { currentLoginSession } from "./login-session";

/**
 * GET/POST /login/consent?request=...: a third-party client's request for scopes the user has not
 * allowed it yet. Allow remembers the scopes (oauth_consents) and issues the code; Deny sends
 * access_denied back to the client (RFC 6749 §4.1.2.1).
 */
export const consentRoutes = new Hono<AppEnv>();

const httpsOrNull = (value: unknown): string | null => (typeof value === "string" && value.startsWith("https://") ? value : null);

function clientDisplay(client: OAuthClient) {
  return { clientName: client.name, clientLogo: httpsOrNull(client.metadata.logo_uri), clientUri: httpsOrNull(client.metadata.client_uri) };
}

/** The flow must name a request and the browser must be signed in (else back to sign-in for that request). */
async function consentContext(c: Context<AppEnv>, flow: LoginFlow | Response) {
  if (flow instanceof Response) return flow;
  const scope = c.get("scope");
  if (!flow.pending) return c.redirect(`${scope.issuer}/login`, 303);
  const login = await currentLoginSession(c);
  if (!login) return c.redirect(`${scope.issuer}/login${flow.query}`, 303);
  return { flow, pending: flow.pending, login };
}

consentRoutes.get("/", async (c) => {
  const context = await consentContext(c, await loginFlowFromQuery(c));
  if (context instanceof Response) return context;
  const scope = c.get("scope");
  return renderPage(c, {
    title: `Allow ${context.pending.client.name} access?`,
    formTargets: context.flow.formTargets,
    body: consentBody({
      issuer: scope.issuer,
      csrfToken: await csrfToken(c),
      fields: context.flow.fields,
      ...clientDisplay(context.pending.client),
      userEmail: context.login.user.email,
      scopes: describeScopes(scope, context.pending.request.scope),
    }),
  });
});

consentRoutes.post("/", async (c) => {
  const context = await consentContext(c, await loginFlowFromForm(c));
  if (context instanceof Response) return context;
  const deps = c.get("deps");
  const scope = c.get("scope");
  const { pending, login } = context;
  if ((await formText(c, "decision", 16)) !== "allow") {
    return c.redirect(await rejectAuthorization(deps, scope, pending, "access_denied", "The user denied the request"), 303);
  }
  await rememberConsent(deps, scope, login.user.id, pending.client.id, pending.request.scope);
  return c.redirect(await approveAuthorization(deps, scope, pending, login), 303);
});
