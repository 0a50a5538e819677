import { completeSignInWithSecondFactor, loadAuthorizationRequest, PlintoError, startEnrollmentWithChallenge } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { totpEnrollmentView } from "../../views/totp-enrollment";
import { type PageError, renderPage } from "../../views/login/layout";
import { mfaBody, recoveryCodesBody } from "../../views/login/mfa-view";
import { csrfToken } from "./csrf";
import { renderHostedError } from "./hosted-error";
import { formText } from "./login-flow";
import { setLoginSession, startLoginSession } from "./login-session";
import { clearPendingMfa, getPendingMfa, type PendingMfa } from "./pending-mfa";

/**
 * GET/POST /login/mfa: the second step of a hosted sign-in, through the core's MFA challenge (its
 * attempt limit and expiry). The mfa_token comes from the signed pending-MFA cookie, never the URL.
 */
export const mfaRoutes = new Hono<AppEnv>();

/** A sign-in for an authorization request ends at the client's redirect_uri: the form's CSP must allow it. */
async function formTargets(c: Context<AppEnv>, pending: PendingMfa): Promise<string[]> {
  const request = new URL(pending.continueTo).searchParams.get("request");
  const authorization = request ? await loadAuthorizationRequest(c.get("deps"), c.get("scope"), request) : null;
  return authorization ? [authorization.request.redirectUri] : [];
}

async function renderMfa(c: Context<AppEnv>, pending: PendingMfa, method: "totp" | "recovery", errors: PageError[], status: 200 | 400 | 401 = 200) {
  const enrollment =
    pending.enrollmentRequired && method === "totp"
      ? totpEnrollmentView(await startEnrollmentWithChallenge(c.get("deps"), c.get("scope"), pending.mfaToken))
      : null;
  return renderPage(c, {
    title: enrollment ? "Set up two-step verification" : "Two-step verification",
    status,
    errors,
    formTargets: await formTargets(c, pending),
    body: mfaBody({
      issuer: c.get("scope").issuer,
      csrfToken: await csrfToken(c),
      method,
      errors,
      enrollment: enrollment ? { secret: enrollment.secret, qrSvg: enrollment.qr_svg } : null,
    }),
  });
}

/** A challenge that expired or was used up: start again from where the sign-in began. */
function challengeOver(c: Context<AppEnv>, error: PlintoError): Promise<Response> {
  clearPendingMfa(c);
  return renderHostedError(c, error);
}

mfaRoutes.get("/", async (c) => {
  const pending = await getPendingMfa(c);
  if (!pending) return challengeOver(c, new PlintoError("invalid_mfa_token"));
  try {
    return await renderMfa(c, pending, c.req.query("method") === "recovery" ? "recovery" : "totp", []);
  } catch (error) {
    if (error instanceof PlintoError && error.status < 500) return challengeOver(c, error);
    throw error;
  }
});

mfaRoutes.post("/", async (c) => {
  const pending = await getPendingMfa(c);
  if (!pending) return challengeOver(c, new PlintoError("invalid_mfa_token"));
  const method = (await formText(c, "method", 16)) === "recovery" ? "recovery" : "totp";
  const value = (await formText(c, method === "recovery" ? "recovery_code" : "code", 64)).trim();
  const field = method === "recovery" ? "recovery_code" : "code";
  if (!value) return renderMfa(c, pending, method, [{ field, message: method === "recovery" ? "Enter a recovery code" : "Enter the code" }], 400);
  try {
    const answer = method === "recovery" ? { recoveryCode: value } : { code: value.replace(/\s/g, "") };
    const result = await completeSignInWithSecondFactor(c.get("deps"), c.get("scope"), pending.mfaToken, answer);
    clearPendingMfa(c);
    if (!result.recoveryCodes) return await startLoginSession(c, result.tokens.session, pending.continueTo);
    await setLoginSession(c, result.tokens.session);
    return renderPage(c, { title: "Save your recovery codes", body: recoveryCodesBody(result.recoveryCodes, pending.continueTo) });
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    if (error.code === "invalid_code") {
      const message = pending.enrollmentRequired && method === "totp" ? "That code is not right. Add the new key below to your app and try again." : "That code is not right. Try again.";
      return renderMfa(c, pending, method, [{ field, message }], 401);
    }
    return challengeOver(c, error);
  }
});
