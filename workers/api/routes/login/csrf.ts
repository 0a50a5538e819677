import { fromBase64url, randomSecret, toBase64url } from "@plinto/core";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "../../app-env";
import { publicOrigin } from "../../middleware/request-context";
import { renderPage } from "../../views/login/layout";
import { html } from "hono/html";
import { loginKey } from "./login-keys";

/**
 * CSRF defence of the hosted pages, two layers (docs/hosted-login.md):
 * 1. hono's csrf(): a form POST must come from this origin (Origin header, or
 *    Sec-Fetch-Site: same-origin), so cross-site forms fail in current browsers.
 * 2. A per-form token, the signed double-submit pattern (OWASP CSRF cheat sheet):
 *    a random `__Host-` cookie, and in each form HMAC(key, tenant id + cookie).
 *    Another site can neither read the cookie nor set a `__Host-` one (no Domain,
 *    Secure, Path=/), so it cannot forge the token even where Origin is missing.
 * Bound to the browser rather than to the login session, it protects the sign-in
 * forms too (login CSRF, before any session exists).
 */
const CSRF_COOKIE = "__Host-plinto-csrf";
const TOKEN_FIELD = "csrf_token";

async function hmacKey(c: Context<AppEnv>): Promise<CryptoKey> {
  const raw = await loginKey(c.env, "csrf");
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
}

const bound = (c: Context<AppEnv>, cookie: string) => new TextEncoder().encode(`${c.get("scope").tenant.id}.${cookie}`);

/** The token for this page's forms; sets the browser's CSRF cookie when it has none. */
export async function csrfToken(c: Context<AppEnv>): Promise<string> {
  let cookie = getCookie(c, CSRF_COOKIE);
  if (!cookie || !/^[\w-]{43}$/.test(cookie)) {
    cookie = randomSecret(32);
    setCookie(c, CSRF_COOKIE, cookie, { path: "/", secure: true, httpOnly: true, sameSite: "Lax" });
  }
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(c), bound(c, cookie));
  return toBase64url(new Uint8Array(signature));
}

/** Constant-time check (crypto.subtle.verify) of the posted token against the cookie. */
async function tokenValid(c: Context<AppEnv>): Promise<boolean> {
  const cookie = getCookie(c, CSRF_COOKIE);
  const form = await c.req.parseBody();
  const token = form[TOKEN_FIELD];
  if (!cookie || typeof token !== "string" || !/^[\w-]{43}$/.test(token)) return false;
  return crypto.subtle.verify("HMAC", await hmacKey(c), fromBase64url(token), bound(c, cookie));
}

const sameOrigin = csrf({
  origin: (origin, c) => origin === publicOrigin(c) || origin === new URL(c.req.url).origin,
  secFetchSite: "same-origin",
});

function refused(c: Context<AppEnv>): Promise<Response> {
  return renderPage(c, {
    title: "Request refused",
    status: 403,
    body: html`<p>This form came from another site or has expired. Go back, reload the page and try again.</p>`,
  });
}

/** On every non-GET request of the hosted pages: same origin, then a valid form token; a 403 page otherwise. */
export const requireCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD") return next();
  try {
    await sameOrigin(c, async () => {});
  } catch (error) {
    if (error instanceof HTTPException && error.status === 403) return refused(c);
    throw error;
  }
  if (!(await tokenValid(c))) return refused(c);
  await next();
};
