import { createRoute } from "@hono/zod-openapi";
import { emailAcceptedSchema, emailRequestSchema, passwordResetConfirmSchema, passwordResetDoneSchema } from "@plinto/contracts";
import { confirmPasswordReset, requestPasswordReset } from "@plinto/core";
import { createRouter } from "../router";
import { emailAccepted } from "../views/email-accepted";
import { commonErrors, json, jsonBody, mailErrors, tenantParams, unprocessable } from "./openapi";

export const passwordResetRoutes = createRouter();
const tags = ["Email"];

passwordResetRoutes.openapi(
  createRoute({
    method: "post",
    path: "/password-reset",
    tags,
    summary: "Email a password reset link",
    description:
      "Always 202 with the same body, known address or not; the link (valid 15 minutes, single use) is sent after the response. Rate limited per IP and per address.",
    request: { params: tenantParams, body: jsonBody(emailRequestSchema) },
    responses: { 202: json(emailAcceptedSchema, "Accepted"), ...commonErrors, ...mailErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    await requestPasswordReset(c.get("deps"), c.get("scope"), { email: body.email, redirectUrl: body.redirect_url });
    return c.json(emailAccepted, 202);
  },
);

passwordResetRoutes.openapi(
  createRoute({
    method: "post",
    path: "/password-reset/confirm",
    tags,
    summary: "Set a new password with the token from the reset link",
    description:
      "Signs out every session of the account and mails a `password_changed` notice. A password the policy refuses (422) leaves the token usable.",
    request: { params: tenantParams, body: jsonBody(passwordResetConfirmSchema) },
    responses: { 200: json(passwordResetDoneSchema, "Password set"), ...commonErrors, ...unprocessable },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const { revokedSessions } = await confirmPasswordReset(c.get("deps"), c.get("scope"), {
      token: body.token,
      newPassword: body.new_password,
    });
    return c.json({ status: "password_reset" as const, revoked_sessions: revokedSessions.length }, 200);
  },
);
