import { createRoute } from "@hono/zod-openapi";
import {
  adminBanUserRequestSchema,
  adminCreateUserRequestSchema,
  adminListUsersQuerySchema,
  adminUpdateUserRequestSchema,
  pageOf,
  userSchema,
} from "@plinto/contracts";
import { adminCreateUser, adminUpdateUser, banUser, deleteUser, getUser, listUsers, unbanUser } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { decodeCursor, encodeCursor, userView } from "../../views/views";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams, unprocessable } from "../openapi";

export const adminUserRoutes = createRouter();
const userParams = tenantParams.extend({ id: z.string().max(64) });
const tags = ["Admin: users"];

adminUserRoutes.openapi(
  createRoute({
    method: "get",
    path: "/users",
    tags,
    summary: "List or search users (newest first, cursor pagination)",
    security: adminSecurity,
    request: { params: tenantParams, query: adminListUsersQuerySchema },
    responses: { 200: json(pageOf(userSchema), "A page of users"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const page = await listUsers(c.get("deps"), {
      tenantId: c.get("scope").tenant.id,
      afterId: decodeCursor(query.cursor),
      limit: query.limit,
      query: query.query,
      banned: query.banned === undefined ? undefined : query.banned === "true",
    });
    return c.json({ data: page.items.map(userView), next_cursor: encodeCursor(page.nextAfterId) }, 200);
  },
);

adminUserRoutes.openapi(
  createRoute({
    method: "post",
    path: "/users",
    tags,
    summary: "Create a user (optionally with an imported bcrypt/scrypt/PBKDF2/argon2 hash)",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(adminCreateUserRequestSchema) },
    responses: { 201: json(userSchema, "Created"), ...commonErrors, ...authErrors, ...conflict, ...unprocessable },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const user = await adminCreateUser(
      c.get("deps"),
      c.get("scope"),
      {
        email: body.email,
        password: body.password,
        passwordHash: body.password_hash,
        name: body.name,
        emailVerified: body.email_verified,
        role: body.role,
      },
      c.get("actor"),
    );
    return c.json(userView(user), 201);
  },
);

adminUserRoutes.openapi(
  createRoute({
    method: "get",
    path: "/users/{id}",
    tags,
    summary: "Get a user",
    security: adminSecurity,
    request: { params: userParams },
    responses: { 200: json(userSchema, "The user"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(userView(await getUser(c.get("deps"), c.get("scope"), c.req.valid("param").id)), 200),
);

adminUserRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/users/{id}",
    tags,
    summary: "Update a user",
    security: adminSecurity,
    request: { params: userParams, body: jsonBody(adminUpdateUserRequestSchema) },
    responses: { 200: json(userSchema, "Updated"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const user = await adminUpdateUser(
      c.get("deps"),
      c.get("scope"),
      c.req.valid("param").id,
      { name: body.name, email: body.email, emailVerified: body.email_verified, metadata: body.metadata, role: body.role },
      c.get("actor"),
    );
    return c.json(userView(user), 200);
  },
);

adminUserRoutes.openapi(
  createRoute({
    method: "post",
    path: "/users/{id}/ban",
    tags,
    summary: "Ban a user and revoke all their sessions",
    security: adminSecurity,
    request: { params: userParams, body: jsonBody(adminBanUserRequestSchema) },
    responses: { 200: json(userSchema, "Banned"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const reason = c.req.valid("json").reason ?? null;
    const user = await banUser(c.get("deps"), c.get("scope"), c.req.valid("param").id, reason, c.get("actor"));
    return c.json(userView(user), 200);
  },
);

adminUserRoutes.openapi(
  createRoute({
    method: "post",
    path: "/users/{id}/unban",
    tags,
    summary: "Lift a ban",
    security: adminSecurity,
    request: { params: userParams },
    responses: { 200: json(userSchema, "Unbanned"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(userView(await unbanUser(c.get("deps"), c.get("scope"), c.req.valid("param").id, c.get("actor"))), 200),
);

adminUserRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/users/{id}",
    tags,
    summary: "Delete a user and revoke all their sessions",
    security: adminSecurity,
    request: { params: userParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteUser(c.get("deps"), c.get("scope"), c.req.valid("param").id, c.get("actor"));
    return c.body(null, 204);
  },
);
