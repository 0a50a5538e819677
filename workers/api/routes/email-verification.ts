import { createRoute } from "@hono/zod-openapi";
import { emailAcceptedSchema, emailVerifiedSchema, linkTokenRequestSchema, verificationResendSchema } from "@plinto/contracts";
import { authenticateAccessToken, confirmEmailVerification, PlintoError, resendMyVerification, resendVerificationTo } from "@plinto/core";
import { bearerToken } from "../middleware/authenticate";
import { createRouter } from "../router";
import { emailAccepted } from "../views/email-accepted";
import { userView } from "../views/views";
import { authErrors, commonErrors, conflict, json, jsonBody, mailErrors, tenantParams } from "./openapi";

export const emailVerificationRoutes = createRouter();
const tags = ["Email"];
/** A bearer token is optional here (OpenAPI 3.1 §4.8.30: an empty requirement means none). */
const optionalUser: Record<string, string[]>[] = [{ bearerAuth: [] }, {}];

emailVerificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/email-verification",
    tags,
    summary: "Send (again) the email verification link",
    description:
      "With a bearer token: to the signed-in user's address (503 `mail_unavailable` if it cannot be sent, 409 when already verified). " +
      "Without one, `email` names the address (for tenants that require verification before sign-in): the answer is the same whether or not it has an unverified account.",
    security: optionalUser,
    request: { params: tenantParams, body: jsonBody(verificationResendSchema) },
    responses: { 202: json(emailAcceptedSchema, "Accepted"), ...commonErrors, ...authErrors, ...conflict, ...mailErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const scope = c.get("scope");
    const body = c.req.valid("json");
    if (c.req.header("Authorization") !== undefined) {
      const auth = await authenticateAccessToken(deps, scope, bearerToken(c));
      await resendMyVerification(deps, scope, auth, body.redirect_url);
    } else if (body.email !== undefined) {
      await resendVerificationTo(deps, scope, { email: body.email, redirectUrl: body.redirect_url });
    } else {
      throw new PlintoError("validation_failed", {
        errors: [{ path: "email", message: "required without a bearer token", code: "invalid_type" }],
      });
    }
    return c.json(emailAccepted, 202);
  },
);

emailVerificationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/email-verification/confirm",
    tags,
    summary: "Confirm an email address with the token from the link",
    description: "Single use; 400 `invalid_link_token` when unknown, expired, used, or the account's address changed since.",
    request: { params: tenantParams, body: jsonBody(linkTokenRequestSchema) },
    responses: { 200: json(emailVerifiedSchema, "Verified"), ...commonErrors },
  }),
  async (c) => {
    const user = await confirmEmailVerification(c.get("deps"), c.get("scope"), c.req.valid("json").token);
    return c.json({ status: "verified" as const, user: userView(user) }, 200);
  },
);
