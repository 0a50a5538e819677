import { Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { consentRoutes } from "./consent";
import { mfaRoutes } from "./mfa";
import { passkeyRoutes } from "./passkey";
import { requireCsrf } from "./csrf";
import { renderErrorPage, hostedErrorHandler } from "./hosted-error";
import { signInRoutes } from "./sign-in";
import { signUpRoutes } from "./sign-up";

/** The hosted pages under `{issuer}/login` (docs/hosted-login.md); every POST passes the CSRF checks first. */
export const loginPages = new Hono<AppEnv>();
loginPages.onError(hostedErrorHandler);
loginPages.use("*", requireCsrf);
loginPages.route("/sign-up", signUpRoutes);
loginPages.route("/consent", consentRoutes);
loginPages.route("/mfa", mfaRoutes);
loginPages.route("/passkey", passkeyRoutes);

/** Messages of /login/error by code; the page never shows text taken from the URL. */
const ERROR_MESSAGES: Record<string, string> = {
  access_denied: "The sign-in was cancelled.",
  expired: "This sign-in took too long. Go back to the app and start again.",
  upstream: "The other provider did not complete the sign-in. Go back to the app and try again.",
};

loginPages.get("/error", (c) => {
  const code = c.req.query("error") ?? "";
  return renderErrorPage(c, ERROR_MESSAGES[code] ?? "Something went wrong with this sign-in. Go back to the app and try again.", 400);
});
loginPages.route("/", signInRoutes);
