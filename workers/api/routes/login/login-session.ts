import {
  completeFirstFactor,
  type FirstFactor,
  PlintoError,
  revocationTarget,
  type SessionRecord,
  type SignInResult,
  signOutLoginSession,
  type User,
} from "@plinto/core";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { safeContinueTo } from "./continue-to";
import { loginKey } from "./login-keys";
import { setPendingMfa } from "./pending-mfa";
import { renderHostedError } from "./hosted-error";

/**
 * The hosted-login browser session: a session-store session opened at sign-in, named by
 * `__Host-plinto-{tenantId}` (Secure, HttpOnly, SameSite=Lax, Path=/, no Domain) whose value
 * `{userId}.{sessionId}` is signed with a key derived from KEY_ENCRYPTION_SECRET. Every use
 * re-reads the session, so a revocation (sign-out, ban, password change) ends it at once.
 */
export const loginCookieName = (tenantId: string): string => `__Host-plinto-${tenantId}`;

const cookieOptions = (maxAge: number) => ({ path: "/", secure: true, httpOnly: true, sameSite: "Lax" as const, maxAge });

async function cookieValue(c: Context<AppEnv>): Promise<{ userId: string; sessionId: string } | null> {
  const key = await loginKey(c.env, "login-cookie");
  const value = await getSignedCookie(c, key, loginCookieName(c.get("scope").tenant.id));
  if (!value) return null;
  const [userId, sessionId, ...rest] = value.split(".");
  return userId && sessionId && rest.length === 0 ? { userId, sessionId } : null;
}

/** The signed-in browser session, re-checked in the session store; null when absent/invalid/revoked. */
export async function currentLoginSession(c: Context<AppEnv>): Promise<{ user: User; session: SessionRecord } | null> {
  const ids = await cookieValue(c);
  if (!ids) return null;
  const deps = c.get("deps");
  const { tenant } = c.get("scope");
  const now = deps.clock.now();
  const session = await deps.sessions.forUser(tenant.id, ids.userId).get(ids.sessionId, now);
  if (!session || session.userId !== ids.userId) return null;
  if (session.createdAt + tenant.settings.oauth.login_session_ttl_seconds * 1000 <= now) return null;
  const user = await deps.storage.users.getById(tenant.id, ids.userId);
  if (!user || user.bannedAt !== null) return null;
  return { user, session };
}

/**
 * Signs the browser out: clears its cookie, revokes its login session and the OAuth grants made
 * from it (signOutLoginSession). Returns the user it was signed in as, or null.
 */
export async function endLoginSession(c: Context<AppEnv>): Promise<string | null> {
  const ids = await cookieValue(c);
  deleteCookie(c, loginCookieName(c.get("scope").tenant.id), { path: "/", secure: true });
  if (!ids) return null;
  await signOutLoginSession(c.get("deps"), c.get("scope"), ids.userId, ids.sessionId);
  return ids.userId;
}

/**
 * Makes `session` the browser's login session: sets the cookie (lifetime login_session_ttl_seconds).
 * A previous login session of this browser is revoked, so sessions are not left orphaned.
 */
export async function setLoginSession(c: Context<AppEnv>, session: SessionRecord): Promise<void> {
  const previous = await cookieValue(c);
  const scope = c.get("scope");
  if (previous && previous.sessionId !== session.id) {
    const deps = c.get("deps");
    await deps.sessions.forUser(scope.tenant.id, previous.userId).revoke(previous.sessionId, "sign_out", deps.clock.now(), revocationTarget(scope));
  }
  const key = await loginKey(c.env, "login-cookie");
  const ttl = scope.tenant.settings.oauth.login_session_ttl_seconds;
  await setSignedCookie(c, loginCookieName(scope.tenant.id), `${session.userId}.${session.id}`, key, cookieOptions(ttl));
}

/** setLoginSession, then a 303 to `continueTo` (kept under the issuer by safeContinueTo). */
export async function startLoginSession(c: Context<AppEnv>, session: SessionRecord, continueTo: string): Promise<Response> {
  await setLoginSession(c, session);
  return c.redirect(safeContinueTo(c.get("scope"), continueTo), 303);
}

/**
 * After any first factor succeeded in a hosted flow (password, passkey, upstream/social, email): runs
 * completeFirstFactor; on mfa_required redirects to /login/mfa; on signed_in sets the cookie and redirects to
 * `continueTo` (the authorization request resumes, or /device, or a default page). Returns the Response.
 * Refusals after the first factor (banned, email not verified) render the hosted error page.
 */
export async function finishHostedFirstFactor(c: Context<AppEnv>, user: User, factor: FirstFactor, continueTo: string): Promise<Response> {
  try {
    return await finishHostedSignIn(c, await completeFirstFactor(c.get("deps"), c.get("scope"), user, factor), continueTo);
  } catch (error) {
    if (error instanceof PlintoError && error.status < 500) return renderHostedError(c, error);
    throw error;
  }
}

/** The hosted end of a core sign-in that already ran completeFirstFactor (password and passkey sign-in). */
export async function finishHostedSignIn(c: Context<AppEnv>, result: SignInResult, continueTo: string): Promise<Response> {
  const scope = c.get("scope");
  if (result.status === "mfa_required") {
    await setPendingMfa(c, {
      mfaToken: result.mfaToken,
      expiresIn: result.expiresIn,
      factors: result.factors,
      enrollmentRequired: result.enrollmentRequired,
      continueTo: safeContinueTo(scope, continueTo),
    });
    return c.redirect(`${scope.issuer}/login/mfa`, 303);
  }
  return startLoginSession(c, result.tokens.session, continueTo);
}
