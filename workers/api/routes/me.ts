import { createRoute } from "@hono/zod-openapi";
import { changePasswordRequestSchema, revokedSessionsSchema, updateMeRequestSchema, userSchema } from "@plinto/contracts";
import { changePassword, updateMe } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { userView } from "../views/views";
import { authErrors, commonErrors, json, jsonBody, tenantParams, unprocessable, userSecurity } from "./openapi";

export const meRoutes = createRouter();

meRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me",
    tags: ["Me"],
    summary: "The signed-in user",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(userSchema, "The user"), ...authErrors },
  }),
  (c) => c.json(userView(c.get("auth").user), 200),
);

meRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/me",
    tags: ["Me"],
    summary: "Update my profile",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(updateMeRequestSchema) },
    responses: { 200: json(userSchema, "Updated user"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const user = await updateMe(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("json"));
    return c.json(userView(user), 200);
  },
);

meRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/password",
    tags: ["Me"],
    summary: "Change my password",
    description: "Requires the current password; every other session of the user is revoked.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(changePasswordRequestSchema) },
    responses: { 200: json(revokedSessionsSchema, "Password changed; revoked session ids"), ...commonErrors, ...authErrors, ...unprocessable },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const { revokedSessions } = await changePassword(c.get("deps"), c.get("scope"), c.get("auth"), {
      currentPassword: body.current_password,
      newPassword: body.new_password,
    });
    return c.json({ revoked: revokedSessions }, 200);
  },
);
