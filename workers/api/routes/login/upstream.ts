import { finishUpstreamSignIn, PlintoError, randomSecret, startUpstreamSignIn, type UpstreamCallback } from "@plinto/core";
import { type Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { safeContinueTo } from "./continue-to";
import { renderErrorPage, renderHostedError } from "./hosted-error";
import { loginFlowFromQuery } from "./login-flow";
import { finishHostedFirstFactor } from "./login-session";

/**
 * Upstream (social) sign-in on the hosted login (docs/social-sign-in.md):
 * GET /connections/{slug}/start sends the browser to the provider; the
 * provider returns it to /connections/{slug}/callback (GET, or POST for
 * Apple's response_mode=form_post), which ends in finishHostedFirstFactor.
 */
export const upstreamSignInRoutes = new Hono<AppEnv>();

/**
 * Binds a sign-in's state to the browser that started it (RFC 6749 §10.12,
 * RFC 9700 §4.7.1), so a callback URL planted in another browser (login CSRF)
 * fails. SameSite=None: Apple's form_post callback is a cross-site POST.
 * One value per browser, reused, so sign-ins in two tabs both work.
 */
const BINDING_COOKIE = "__Host-plinto-upstream";
const BINDING_MAX_AGE = 600;

/**
 * RFC 8176 has no value for "signed in at a federated provider"; `fed` is the
 * value Plinto uses (the upstream's own `amr` is its claim, not ours to repeat).
 */
const UPSTREAM_AMR = ["fed"];

/** What each refusal tells the person; the provider's own error code is shown for upstream_sign_in_failed. */
const MESSAGES: Record<string, string> = {
  invalid_upstream_state: "This sign-in has expired, was already used, or was started in another browser. Start signing in again.",
  upstream_token_rejected: "The identity provider's answer could not be verified. Start signing in again.",
  upstream_email_missing: "The identity provider did not share your email address, which this service needs to sign you in.",
  upstream_email_unverified:
    "An account with this email address already exists, and the identity provider has not verified the address, so it cannot be linked. Sign in with your password instead.",
  upstream_link_refused:
    "An account with this email address already exists but its address is not verified. Sign in with your password, verify the address, then use this provider.",
  upstream_unavailable: "The identity provider cannot be reached right now. Try again in a few minutes.",
};

function upstreamError(c: Context<AppEnv>, error: unknown): Promise<Response> {
  if (!(error instanceof PlintoError)) throw error;
  if (error.code === "upstream_sign_in_failed") return renderErrorPage(c, `The identity provider did not sign you in (${error.message}).`, 400);
  if (error.code === "upstream_unavailable") return renderErrorPage(c, MESSAGES.upstream_unavailable ?? error.title, 502);
  if (error.status >= 500) throw error;
  const message = MESSAGES[error.code];
  return message ? renderErrorPage(c, message, error.status === 409 || error.status === 422 ? error.status : 400) : renderHostedError(c, error);
}

upstreamSignInRoutes.get("/:connection/start", async (c) => {
  const flow = await loginFlowFromQuery(c);
  if (flow instanceof Response) return flow;
  const binding = getCookie(c, BINDING_COOKIE) ?? "";
  const browserBinding = /^[A-Za-z0-9_-]{43}$/.test(binding) ? binding : randomSecret(32);
  try {
    const continueTo = flow.pending || flow.returnTo ? flow.continueTo : null;
    const { url } = await startUpstreamSignIn(c.get("deps"), c.get("scope"), c.req.param("connection"), { continueTo, browserBinding });
    setCookie(c, BINDING_COOKIE, browserBinding, { path: "/", secure: true, httpOnly: true, sameSite: "None", maxAge: BINDING_MAX_AGE });
    return c.redirect(url, 302);
  } catch (error) {
    return upstreamError(c, error);
  }
});

/** RFC 6749 §4.1.2 parameters, from the query (GET) or the form body (Apple's form_post). */
async function callbackParameters(c: Context<AppEnv>): Promise<UpstreamCallback> {
  const params = c.req.method === "POST" ? new URLSearchParams(await c.req.text()) : new URL(c.req.url).searchParams;
  const one = (name: string): string | null => {
    const values = params.getAll(name);
    return values.length === 1 ? (values[0] ?? null) : null;
  };
  return {
    state: one("state"),
    code: one("code"),
    error: one("error"),
    errorDescription: one("error_description"),
    iss: one("iss"),
    appleUser: one("user"),
    browserBinding: getCookie(c, BINDING_COOKIE) ?? null,
  };
}

async function callback(c: Context<AppEnv>): Promise<Response> {
  const scope = c.get("scope");
  let signedIn;
  try {
    signedIn = await finishUpstreamSignIn(c.get("deps"), scope, c.req.param("connection") ?? "", await callbackParameters(c));
  } catch (error) {
    return upstreamError(c, error);
  }
  return finishHostedFirstFactor(c, signedIn.user, { amr: UPSTREAM_AMR }, safeContinueTo(scope, signedIn.continueTo));
}

upstreamSignInRoutes.get("/:connection/callback", callback);
upstreamSignInRoutes.post("/:connection/callback", callback);
