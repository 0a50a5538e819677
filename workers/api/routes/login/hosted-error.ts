import { PlintoError } from "@plinto/core";
import type { Context } from "hono";
import { html } from "hono/html";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../app-env";
import { problemResponse } from "../../errors/problem";
import { renderPage } from "../../views/login/layout";

/** Plain-language messages for refusals a person can meet on the hosted pages. */
const MESSAGES: Record<string, string> = {
  user_banned: "This account has been suspended. Contact the service's support.",
  email_not_verified: "Verify your email address first: follow the link in the email we sent you, then sign in again.",
  account_locked: "Too many failed attempts. Wait a few minutes, then try again.",
  rate_limited: "Too many attempts from here. Wait a minute, then try again.",
  invalid_mfa_token: "Your sign-in took too long or was already completed. Sign in again.",
  too_many_attempts: "Too many wrong codes. Sign in again to get a new challenge.",
};

/** The hosted error page for a refusal; never shows internals (5xx errors are not rendered here). */
export function renderHostedError(c: Context<AppEnv>, error: PlintoError): Promise<Response> {
  const message = MESSAGES[error.code] ?? (error.code === "invalid_request" ? error.message : error.title);
  const status = (error.status >= 400 && error.status < 500 ? error.status : 400) as ContentfulStatusCode;
  return renderErrorPage(c, message, status);
}

/** The /login/error page body: a message and a way back to sign-in. */
export function renderErrorPage(c: Context<AppEnv>, message: string, status: ContentfulStatusCode = 400): Promise<Response> {
  const issuer = c.get("scope").issuer;
  return renderPage(c, {
    title: "Something went wrong",
    status,
    body: html`<p role="alert">${message}</p><p><a href="${issuer}/login">Back to sign-in</a></p>`,
  });
}

/**
 * onError of the hosted page routers: a refusal (4xx) becomes the hosted error page, so a person
 * never sees JSON; anything else goes through the one mapper (which logs it and hides internals).
 */
export function hostedErrorHandler(error: Error, c: Context<AppEnv>): Response | Promise<Response> {
  if (error instanceof PlintoError && error.status < 500) return renderHostedError(c, error);
  return problemResponse(c, error);
}
