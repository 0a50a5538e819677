import { createRoute } from "@hono/zod-openapi";
import { signUpRequestSchema, tokenResponseSchema, verificationRequiredSchema } from "@plinto/contracts";
import { signUp } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../router";
import { tokenResponse } from "../views/token-response";
import { userView } from "../views/views";
import { commonErrors, conflict, json, jsonBody, mailErrors, tenantParams, unprocessable } from "./openapi";

export const identityRoutes = createRouter();

identityRoutes.openapi(
  createRoute({
    method: "post",
    path: "/identities",
    tags: ["Auth"],
    summary: "Sign up with email and password",
    description:
      "Creates the account and mails a verification link (to `redirect_url`, on one of the tenant's allowed origins, or settings.email.link_base_url). " +
      'It signs the account in, unless settings.email.verification is "required": then the answer is `email_verification_required` and no session exists until the address is verified. ' +
      "The password must be 12-128 characters and not a common password.",
    request: { params: tenantParams, body: jsonBody(signUpRequestSchema) },
    responses: {
      201: json(z.union([tokenResponseSchema, verificationRequiredSchema]), "Account created (and signed in unless verification is required)"),
      ...commonErrors,
      ...conflict,
      ...unprocessable,
      ...mailErrors,
    },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const result = await signUp(c.get("deps"), c.get("scope"), { ...body, redirectUrl: body.redirect_url });
    if (result.status === "email_verification_required") {
      return c.json({ status: result.status, user: userView(result.user) }, 201);
    }
    return c.json(tokenResponse(result.tokens, result.user), 201);
  },
);
