import { PlintoError, signIn } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { type PageError, renderPage } from "../../views/login/layout";
import { signedInBody, signInBody } from "../../views/login/sign-in-view";
import { csrfToken } from "./csrf";
import { formText, type LoginFlow, loginFlowFromForm, loginFlowFromQuery } from "./login-flow";
import { currentLoginSession, finishHostedSignIn } from "./login-session";
import { resumeAuthorization } from "./resume-authorization";

/** GET/POST /login: email and password through the core sign-in (its rate limits and lockout), then finishHostedSignIn. */
export const signInRoutes = new Hono<AppEnv>();

async function renderSignIn(c: Context<AppEnv>, flow: LoginFlow, email: string, errors: PageError[], status: 200 | 400 | 401 | 403 | 429 = 200) {
  const scope = c.get("scope");
  const connections = (await c.get("deps").storage.upstreamConnections.list(scope.tenant.id))
    .filter((connection) => connection.enabled)
    .map((connection) => ({ slug: connection.slug, displayName: connection.displayName }));
  return renderPage(c, {
    title: "Sign in",
    status,
    errors,
    formTargets: flow.formTargets,
    body: signInBody({ issuer: scope.issuer, csrfToken: await csrfToken(c), query: flow.query, fields: flow.fields, email, errors, connections }),
  });
}

signInRoutes.get("/", async (c) => {
  const flow = await loginFlowFromQuery(c);
  if (flow instanceof Response) return flow;
  if (!flow.pending && !flow.returnTo) {
    const login = await currentLoginSession(c);
    if (login) return renderPage(c, { title: "Signed in", body: signedInBody(c.get("scope").issuer, login.user.email) });
  }
  return renderSignIn(c, flow, flow.pending?.request.loginHint ?? "", []);
});

/** Field errors first (both fields required), then the core's answer: wrong credentials, lockout, rate limit, refusals. */
signInRoutes.post("/", async (c) => {
  const flow = await loginFlowFromForm(c);
  if (flow instanceof Response) return flow;
  const email = (await formText(c, "email", 254)).trim();
  const password = await formText(c, "password");
  const missing: PageError[] = [
    ...(email ? [] : [{ field: "email", message: "Enter your email address" }]),
    ...(password ? [] : [{ field: "password", message: "Enter your password" }]),
  ];
  if (missing.length > 0) return renderSignIn(c, flow, email, missing, 400);
  try {
    const result = await signIn(c.get("deps"), c.get("scope"), { email, password });
    return await finishHostedSignIn(c, result, flow.continueTo);
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    const message = error.code === "invalid_credentials" ? "Email or password is incorrect" : signInRefusal(error);
    const status = error.status === 401 || error.status === 403 || error.status === 429 ? error.status : 400;
    return renderSignIn(c, flow, email, [{ field: error.code === "invalid_credentials" ? "password" : undefined, message }], status);
  }
});

function signInRefusal(error: PlintoError): string {
  if (error.code === "account_locked") return "Too many failed attempts. Wait a few minutes, then try again.";
  if (error.code === "rate_limited") return "Too many attempts from here. Wait a minute, then try again.";
  if (error.code === "email_not_verified") return "Verify your email address first: follow the link in the email we sent you.";
  if (error.code === "user_banned") return "This account has been suspended.";
  return error.title;
}

/** GET /login/continue?request=...: where a finished sign-in resumes the authorization request. */
signInRoutes.get("/continue", async (c) => {
  const flow = await loginFlowFromQuery(c);
  if (flow instanceof Response) return flow;
  if (!flow.pending) return c.redirect(flow.continueTo, 302);
  return resumeAuthorization(c, flow.pending);
});
