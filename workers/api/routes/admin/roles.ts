import { createRoute } from "@hono/zod-openapi";
import { createCustomRoleRequestSchema, customRoleRequestSchema, customRoleSchema, roleKeySchema } from "@plinto/contracts";
import { createRole, deleteRole, listRoles, updateRole } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { roleView } from "../../views/organization-views";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

/** Organization roles: the four built-in ones (read only) and the tenant's custom roles with `resource:action` permissions. */
export const adminRoleRoutes = createRouter();
const roleParams = tenantParams.extend({ key: roleKeySchema });
const tags = ["Admin: roles"];
const security = adminSecurity;

adminRoleRoutes.openapi(
  createRoute({
    method: "get",
    path: "/roles",
    tags,
    summary: "List built-in and custom roles with their permissions",
    security,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(customRoleSchema) }), "Roles"), ...authErrors },
  }),
  async (c) => c.json({ data: (await listRoles(c.get("deps"), c.get("scope"))).map(roleView) }, 200),
);

adminRoleRoutes.openapi(
  createRoute({
    method: "post",
    path: "/roles",
    tags,
    summary: "Create a custom role",
    security,
    request: { params: tenantParams, body: jsonBody(createCustomRoleRequestSchema) },
    responses: { 201: json(customRoleSchema, "Created"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const { key, ...input } = c.req.valid("json");
    return c.json(roleView(await createRole(c.get("deps"), c.get("scope"), c.get("actor"), key, input)), 201);
  },
);

adminRoleRoutes.openapi(
  createRoute({
    method: "put",
    path: "/roles/{key}",
    tags,
    summary: "Replace a custom role's name, description and permissions (members holding it get them at their next token)",
    security,
    request: { params: roleParams, body: jsonBody(customRoleRequestSchema) },
    responses: { 200: json(customRoleSchema, "Updated"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(roleView(await updateRole(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").key, c.req.valid("json"))), 200),
);

adminRoleRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/roles/{key}",
    tags,
    summary: "Delete a custom role no member holds (409 `role_in_use` otherwise)",
    security,
    request: { params: roleParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    await deleteRole(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").key);
    return c.body(null, 204);
  },
);
