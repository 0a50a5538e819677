import { createRoute } from "@hono/zod-openapi";
import {
  emailAcceptedSchema,
  emailCodeRequestSchema,
  emailCodeSignInSchema,
  emailRequestSchema,
  linkTokenRequestSchema,
  signInResponseSchema,
} from "@plinto/contracts";
import { requestEmailCode, requestMagicLink, signInWithEmailCode, signInWithMagicLink } from "@plinto/core";
import { createRouter } from "../router";
import { emailAccepted } from "../views/email-accepted";
import { signInResponse } from "../views/token-response";
import { authErrors, commonErrors, json, jsonBody, mailErrors, tenantParams } from "./openapi";

/** Passwordless sign-in by email: a magic link or a 6-digit code, each valid 15 minutes and once. */
export const emailSignInRoutes = createRouter();
const tags = ["Auth"];
const sameAnswer = "Always 202 with the same body, known address or not; the email is sent after the response. Rate limited per IP and per address.";

emailSignInRoutes.openapi(
  createRoute({
    method: "post",
    path: "/magic-links",
    tags,
    summary: "Email a sign-in link",
    description: sameAnswer,
    request: { params: tenantParams, body: jsonBody(emailRequestSchema) },
    responses: { 202: json(emailAcceptedSchema, "Accepted"), ...commonErrors, ...mailErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    await requestMagicLink(c.get("deps"), c.get("scope"), { email: body.email, redirectUrl: body.redirect_url });
    return c.json(emailAccepted, 202);
  },
);

emailSignInRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/magic-link",
    tags,
    summary: "Sign in with the token from a magic link",
    description: "Marks the address verified. May answer `mfa_required` like password sign-in. 400 `invalid_link_token` when unknown, expired or used.",
    request: { params: tenantParams, body: jsonBody(linkTokenRequestSchema) },
    responses: { 200: json(signInResponseSchema, "Signed in, or `mfa_required`"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const result = await signInWithMagicLink(c.get("deps"), c.get("scope"), c.req.valid("json").token);
    return c.json(signInResponse(result), 200);
  },
);

emailSignInRoutes.openapi(
  createRoute({
    method: "post",
    path: "/email-codes",
    tags,
    summary: "Email a 6-digit sign-in code",
    description: `${sameAnswer} A new code replaces the previous one.`,
    request: { params: tenantParams, body: jsonBody(emailCodeRequestSchema) },
    responses: { 202: json(emailAcceptedSchema, "Accepted"), ...commonErrors, ...mailErrors },
  }),
  async (c) => {
    await requestEmailCode(c.get("deps"), c.get("scope"), c.req.valid("json"));
    return c.json(emailAccepted, 202);
  },
);

emailSignInRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/email-code",
    tags,
    summary: "Sign in with an emailed code",
    description:
      "401 `invalid_code` for a wrong, expired or used code (or an address without one); after `rate_limits.code_attempts` wrong tries the code is void: 429 `too_many_attempts`. Marks the address verified; may answer `mfa_required`.",
    request: { params: tenantParams, body: jsonBody(emailCodeSignInSchema) },
    responses: { 200: json(signInResponseSchema, "Signed in, or `mfa_required`"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const result = await signInWithEmailCode(c.get("deps"), c.get("scope"), c.req.valid("json"));
    return c.json(signInResponse(result), 200);
  },
);
