import { emailSchema } from "@plinto/contracts";
import { PlintoError, signUp } from "@plinto/core";
import { type Context, Hono } from "hono";
import type { AppEnv } from "../../app-env";
import { type PageError, renderPage } from "../../views/login/layout";
import { signUpBody, verifyEmailBody } from "../../views/login/sign-up-view";
import { csrfToken } from "./csrf";
import { formText, type LoginFlow, loginFlowFromForm, loginFlowFromQuery } from "./login-flow";
import { startLoginSession } from "./login-session";

/** GET/POST /login/sign-up: the core sign-up (password policy, rate limit, verification email), then the login session. */
export const signUpRoutes = new Hono<AppEnv>();

async function renderSignUp(c: Context<AppEnv>, flow: LoginFlow, values: { email: string; name: string }, errors: PageError[], status: 200 | 400 | 409 | 422 | 429 = 200) {
  const scope = c.get("scope");
  return renderPage(c, {
    title: "Create an account",
    status,
    errors,
    formTargets: flow.formTargets,
    body: signUpBody({
      issuer: scope.issuer,
      csrfToken: await csrfToken(c),
      query: flow.query,
      fields: flow.fields,
      ...values,
      minLength: scope.tenant.settings.password_policy.min_length,
      errors,
    }),
  });
}

signUpRoutes.get("/", async (c) => {
  const flow = await loginFlowFromQuery(c);
  if (flow instanceof Response) return flow;
  return renderSignUp(c, flow, { email: flow.pending?.request.loginHint ?? "", name: "" }, []);
});

/** The messages a person can act on; anything else is the catalog's title. */
function signUpError(error: PlintoError): PageError {
  if (error.code === "weak_password") return { field: "password", message: `Password ${error.options.detail ?? "does not meet the policy"}` };
  if (error.code === "email_taken") return { field: "email", message: "An account with this email already exists. Sign in instead." };
  if (error.code === "rate_limited") return { message: "Too many sign-ups from here. Wait a while, then try again." };
  return { message: error.title };
}

signUpRoutes.post("/", async (c) => {
  const flow = await loginFlowFromForm(c);
  if (flow instanceof Response) return flow;
  const values = { email: (await formText(c, "email", 254)).trim(), name: (await formText(c, "name", 200)).trim() };
  const password = await formText(c, "password");
  const errors: PageError[] = [
    ...(emailSchema.safeParse(values.email).success ? [] : [{ field: "email", message: "Enter an email address such as name@example.com" }]),
    ...(password ? [] : [{ field: "password", message: "Choose a password" }]),
  ];
  if (errors.length > 0) return renderSignUp(c, flow, values, errors, 400);
  try {
    const result = await signUp(c.get("deps"), c.get("scope"), { email: values.email, password, ...(values.name ? { name: values.name } : {}) });
    if (result.status === "email_verification_required") {
      return renderPage(c, { title: "Check your email", body: verifyEmailBody(c.get("scope").issuer, values.email, flow.query) });
    }
    return await startLoginSession(c, result.tokens.session, flow.continueTo);
  } catch (error) {
    if (!(error instanceof PlintoError) || error.status >= 500) throw error;
    const status = error.status === 409 || error.status === 422 || error.status === 429 ? error.status : 400;
    return renderSignUp(c, flow, values, [signUpError(error)], status);
  }
});
