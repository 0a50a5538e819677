import { authenticationCredentialSchema } from "@plinto/contracts";
import {
  completePasskeyMfa,
  completeSignInWithSecondFactor,
  loadAuthorizationRequest,
  PlintoError,
  startEnrollmentWithChallenge,
  startPasskeyMfa,
} from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { totpEnrollmentView } from "../../views/totp-enrollment";
import { type PageError, renderPage } from "../../views/login/layout";
import { type MfaMethod, mfaBody, recoveryCodesBody } from "../../views/login/mfa-view";
import { PASSKEY_SCRIPT } from "../../views/login/passkey-view";
import { csrfToken } from "./csrf";
import { renderHostedError } from "./hosted-error";
import { formText } from "./login-flow";
import { setLoginSession, startLoginSession } from "./login-session";
import { clearPendingMfa, getPendingMfa, type PendingMfa } from "./pending-mfa";

/**
 * GET/POST /login/mfa: the second step of a hosted sign-in, through the core's MFA challenge (its
 * attempt limit and expiry). The mfa_token comes from the signed pending-MFA cookie, never the URL.
 * POST /login/mfa/passkey answers the challenge with a passkey assertion (completePasskeyMfa, as
 * `POST /sessions/mfa/passkey`).
 */
export const mfaRoutes = new Hono<AppEnv>();

/** A sign-in for an authorization request ends at the client's redirect_uri: the form's CSP must allow it. */
async function formTargets(c: Context<AppEnv>, pending: PendingMfa): Promise<string[]> {
  const request = new URL(pending.continueTo).searchParams.get("request");
  const authorization = request ? await loadAuthorizationRequest(c.get("deps"), c.get("scope"), request) : null;
  return authorization ? [authorization.request.redirectUri] : [];
}

/**
 * The way asked for in ?method=, else the first the challenge offers: the app code (or its enrolment),
 * else a passkey. A way the challenge does not offer falls back to that default.
 */
function methodFor(pending: PendingMfa, asked: string | undefined): MfaMethod {
  const passkey = pending.factors.includes("passkey") && !pending.enrollmentRequired;
  if (asked === "recovery" && !pending.enrollmentRequired) return "recovery";
  if (asked === "passkey" && passkey) return "passkey";
  if (asked === "totp") return "totp";
  return passkey && !pending.factors.includes("totp") ? "passkey" : "totp";
}

async function renderMfa(c: Context<AppEnv>, pending: PendingMfa, method: MfaMethod, errors: PageError[], status: 200 | 400 | 401 = 200) {
  if (method === "passkey") {
    // Request options bound to the challenge (allowCredentials: the user's passkeys); counts as one attempt.
    const options = await startPasskeyMfa(c.get("deps"), c.get("scope"), pending.mfaToken);
    return renderPage(c, {
      title: "Two-step verification",
      status,
      errors,
      formTargets: await formTargets(c, pending),
      script: PASSKEY_SCRIPT,
      body: mfaBody({
        issuer: c.get("scope").issuer,
        csrfToken: await csrfToken(c),
        method,
        errors,
        enrollment: null,
        factors: pending.factors,
        passkeyOptionsJson: JSON.stringify(options),
      }),
    });
  }
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
      factors: pending.factors,
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
    return await renderMfa(c, pending, methodFor(pending, c.req.query("method")), []);
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

mfaRoutes.post("/passkey", async (c) => {
  const pending = await getPendingMfa(c);
  if (!pending) return challengeOver(c, new PlintoError("invalid_mfa_token"));
  const failed = (message: string) => renderMfa(c, pending, "passkey", [{ message }], 400);
  try {
    let credential: unknown;
    try {
      credential = JSON.parse(await formText(c, "response", 32_768));
    } catch {
      return await failed("The passkey answer was missing. Try again.");
    }
    const parsed = authenticationCredentialSchema.safeParse(credential);
    if (!parsed.success) return await failed("The passkey answer was not understood. Try again.");
    try {
      const result = await completePasskeyMfa(c.get("deps"), c.get("scope"), pending.mfaToken, parsed.data);
      clearPendingMfa(c);
      return await startLoginSession(c, result.tokens.session, pending.continueTo);
    } catch (error) {
      if (!(error instanceof PlintoError) || error.status >= 500) throw error;
      if (error.code === "invalid_mfa_token" || error.code === "too_many_attempts" || error.code === "user_banned") throw error;
      return await failed("That passkey could not be used here. Try again, or use another way below.");
    }
  } catch (error) {
    // The challenge is over (expired, used, attempts spent): start again from where the sign-in began.
    if (error instanceof PlintoError && error.status < 500) return challengeOver(c, error);
    throw error;
  }
});
