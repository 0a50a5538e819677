import { authenticationCredentialSchema } from "@plinto/contracts";
import { enforceRateLimit, PlintoError, signInWithPasskey, startPasskeyAuthentication } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { type PageError, renderPage } from "../../views/login/layout";
import { PASSKEY_SCRIPT, passkeyBody } from "../../views/login/passkey-view";
import { csrfToken } from "./csrf";
import { formText, type LoginFlow, loginFlowFromForm, loginFlowFromQuery } from "./login-flow";
import { finishHostedSignIn } from "./login-session";

/**
 * GET/POST /login/passkey: usernameless passkey sign-in (the core's WebAuthn ceremony, its single-use
 * challenge and the sign-in rate limit per IP). The only hosted page with script.
 */
export const passkeyRoutes = new Hono<AppEnv>();

async function renderPasskey(c: Context<AppEnv>, flow: LoginFlow, errors: PageError[], status: 200 | 400 | 429 = 200) {
  const deps = c.get("deps");
  const scope = c.get("scope");
  await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_ip,
    windowSeconds: 60,
  });
  const options = await startPasskeyAuthentication(deps, scope, { kind: "sign_in" });
  return renderPage(c, {
    title: "Sign in with a passkey",
    status,
    errors,
    formTargets: flow.formTargets,
    script: PASSKEY_SCRIPT,
    body: passkeyBody({ issuer: scope.issuer, csrfToken: await csrfToken(c), query: flow.query, fields: flow.fields, optionsJson: JSON.stringify(options) }),
  });
}

passkeyRoutes.get("/", async (c) => {
  const flow = await loginFlowFromQuery(c);
  if (flow instanceof Response) return flow;
  return renderPasskey(c, flow, []);
});

passkeyRoutes.post("/", async (c) => {
  const flow = await loginFlowFromForm(c);
  if (flow instanceof Response) return flow;
  const failed = (message: string) => renderPasskey(c, flow, [{ message }], 400);
  let credential: unknown;
  try {
    credential = JSON.parse(await formText(c, "response", 32_768));
  } catch {
    return failed("The passkey answer was missing. Try again.");
  }
  const parsed = authenticationCredentialSchema.safeParse(credential);
  if (!parsed.success) return failed("The passkey answer was not understood. Try again.");
  try {
    return await finishHostedSignIn(c, await signInWithPasskey(c.get("deps"), c.get("scope"), parsed.data), flow.continueTo);
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    return failed(error.code === "rate_limited" ? "Too many attempts. Wait a minute, then try again." : "That passkey could not be used here. Try again, or sign in with your password.");
  }
});
