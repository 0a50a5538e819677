import { createRoute } from "@hono/zod-openapi";
import { createOrganizationRequestSchema, organizationSchema, updateOrganizationRequestSchema } from "@plinto/contracts";
import { createOrganization, deleteOrganization, getOrganization, listMyOrganizations, updateOrganization } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { organizationView } from "../views/organization-views";
import { authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams, userSecurity } from "./openapi";

/** The signed-in user's organizations (issue 6). Members and invitations: organization-members.ts, invitations.ts. */
export const organizationRoutes = createRouter();
export const orgParams = tenantParams.extend({ id: z.string().max(64) });
const tags = ["Organizations"];

organizationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations",
    tags,
    summary: "Create an organization; the caller becomes its owner",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(createOrganizationRequestSchema) },
    responses: { 201: json(organizationSchema, "Created"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const actor = c.get("auth").actor;
    const organization = await createOrganization(c.get("deps"), c.get("scope"), c.req.valid("json"), actor.userId, actor);
    return c.json(organizationView(organization, "owner"), 201);
  },
);

organizationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations",
    tags,
    summary: "List the organizations I belong to, with my role",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(organizationSchema) }), "My organizations"), ...authErrors },
  }),
  async (c) => {
    const mine = await listMyOrganizations(c.get("deps"), c.get("scope"), c.get("auth").user.id);
    return c.json({ data: mine.map((entry) => organizationView(entry.organization, entry.role)) }, 200);
  },
);

organizationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations/{id}",
    tags,
    summary: "Get an organization I belong to",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams },
    responses: { 200: json(organizationSchema, "The organization"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const access = await getOrganization(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.json(organizationView(access.organization, access.membership?.role), 200);
  },
);

organizationRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/organizations/{id}",
    tags,
    summary: "Update name, slug or metadata (organization:update)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams, body: jsonBody(updateOrganizationRequestSchema) },
    responses: { 200: json(organizationSchema, "Updated"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const updated = await updateOrganization(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, c.req.valid("json"));
    return c.json(organizationView(updated), 200);
  },
);

organizationRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/organizations/{id}",
    tags,
    summary: "Delete an organization with its members and invitations (organization:delete, owners only)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteOrganization(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
