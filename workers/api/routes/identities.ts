import { createRoute } from "@hono/zod-openapi";
import { signUpRequestSchema, tokenResponseSchema } from "@plinto/contracts";
import { signUp } from "@plinto/core";
import { createRouter } from "../router";
import { tokenResponse } from "../views/token-response";
import { commonErrors, conflict, json, jsonBody, tenantParams, unprocessable } from "./openapi";

export const identityRoutes = createRouter();

identityRoutes.openapi(
  createRoute({
    method: "post",
    path: "/identities",
    tags: ["Auth"],
    summary: "Sign up with email and password",
    description: "Creates the account and signs it in. The password must be 12-128 characters and not a common password.",
    request: { params: tenantParams, body: jsonBody(signUpRequestSchema) },
    responses: { 201: json(tokenResponseSchema, "Account created and signed in"), ...commonErrors, ...conflict, ...unprocessable },
  }),
  async (c) => {
    const { user, tokens } = await signUp(c.get("deps"), c.get("scope"), c.req.valid("json"));
    return c.json(tokenResponse(tokens, user), 201);
  },
);
