import {
  decideDeviceAuthorization,
  describeScopes,
  describeUserCode,
  displayUserCode,
  normaliseUserCode,
  PlintoError,
  type SessionRecord,
  type User,
} from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { deviceConfirmBody, deviceDoneBody, deviceEntryBody } from "../../views/login/device-view";
import { type PageError, renderPage } from "../../views/login/layout";
import { csrfToken, requireCsrf } from "./csrf";
import { formText } from "./login-flow";
import { currentLoginSession } from "./login-session";

/**
 * `{issuer}/device`, the RFC 8628 §3.2 verification_uri: a signed-in user types
 * (or arrives with, via verification_uri_complete) the code their device
 * shows, sees which client asks for what, and allows or denies. Every POST
 * passes the CSRF checks; every step needs the hosted-login session.
 */
export const devicePages = new Hono<AppEnv>();
devicePages.use("*", requireCsrf);

type Login = { user: User; session: SessionRecord };
/** Longer input is no code of ours; it is cut before any look-up. */
const MAX_TYPED = 32;

/** The signed-in user, or a redirect to sign in that comes back here with the code. */
async function signedIn(c: Context<AppEnv>, userCode: string): Promise<Login | Response> {
  const login = await currentLoginSession(c);
  if (login) return login;
  const issuer = c.get("scope").issuer;
  const back = `${new URL(issuer).pathname}/device${userCode ? `?user_code=${encodeURIComponent(userCode)}` : ""}`;
  return c.redirect(`${issuer}/login?return_to=${encodeURIComponent(back)}`, 303);
}

async function entryPage(c: Context<AppEnv>, userCode: string, errors: PageError[] = [], status: 200 | 400 | 429 = 200) {
  return renderPage(c, {
    title: "Connect a device",
    status,
    errors,
    body: deviceEntryBody({ issuer: c.get("scope").issuer, csrfToken: await csrfToken(c), userCode, errors }),
  });
}

/** A refusal the user can act on, shown on the entry form; anything else is not ours to render. */
function entryError(c: Context<AppEnv>, userCode: string, error: unknown) {
  if (!(error instanceof PlintoError)) throw error;
  if (error.code === "rate_limited") return entryPage(c, userCode, [{ field: "user_code", message: "Too many codes tried from here. Wait a few minutes, then try again." }], 429);
  if (error.code === "invalid_code") return entryPage(c, userCode, [{ field: "user_code", message: "That code is not valid, has expired or was already used. Check the code on your device." }], 400);
  throw error;
}

/** Looks the code up and shows who asks for what, or the entry form again with the problem. */
async function confirmPage(c: Context<AppEnv>, login: Login, typed: string) {
  const scope = c.get("scope");
  try {
    const pending = await describeUserCode(c.get("deps"), scope, typed);
    const code = normaliseUserCode(typed);
    if (!pending || code === null) throw new PlintoError("invalid_code");
    return await renderPage(c, {
      title: `Allow ${pending.client.name} access?`,
      body: deviceConfirmBody({
        issuer: scope.issuer,
        csrfToken: await csrfToken(c),
        userCode: displayUserCode(code),
        clientName: pending.client.name,
        userEmail: login.user.email,
        scopes: describeScopes(scope, pending.scope),
      }),
    });
  } catch (error) {
    return entryError(c, typed, error);
  }
}

devicePages.get("/", async (c) => {
  const typed = (c.req.query("user_code") ?? "").trim().slice(0, MAX_TYPED);
  const login = await signedIn(c, typed);
  if (login instanceof Response) return login;
  return typed ? confirmPage(c, login, typed) : entryPage(c, "");
});

/** Without `decision`: look the typed code up. With it: record Allow or Deny (RFC 8628 §3.3). */
devicePages.post("/", async (c) => {
  const typed = (await formText(c, "user_code", MAX_TYPED)).trim();
  const login = await signedIn(c, typed);
  if (login instanceof Response) return login;
  if (!typed) return entryPage(c, "", [{ field: "user_code", message: "Enter the code shown on your device" }], 400);
  const decision = await formText(c, "decision", 16);
  if (decision !== "allow" && decision !== "deny") return confirmPage(c, login, typed);
  const approved = decision === "allow";
  try {
    await decideDeviceAuthorization(
      c.get("deps"),
      c.get("scope"),
      typed,
      approved
        ? { approved: true, userId: login.user.id, amr: login.session.amr, authTime: login.session.verifiedAt, loginSessionId: login.session.id }
        : { approved: false },
    );
  } catch (error) {
    return entryError(c, typed, error);
  }
  return renderPage(c, { title: approved ? "Device connected" : "Request denied", body: deviceDoneBody(approved) });
});
