import { createRoute } from "@hono/zod-openapi";
import {
  addMemberRequestSchema,
  adminCreateOrganizationRequestSchema,
  cursorQuerySchema,
  memberSchema,
  organizationSchema,
  pageOf,
  updateMemberRequestSchema,
} from "@plinto/contracts";
import {
  addMember,
  changeMemberRole,
  createOrganization,
  deleteOrganization,
  getOrganization,
  listMembers,
  listOrganizations,
  removeMember,
} from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { memberView, organizationView } from "../../views/organization-views";
import { decodeCursor, encodeCursor } from "../../views/views";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

/** Management API for organizations (tenant secret key or admin user): the same core rules, no role check. */
export const adminOrganizationRoutes = createRouter();
const orgParams = tenantParams.extend({ id: z.string().max(64) });
const memberParams = orgParams.extend({ user_id: z.string().max(64) });
const tags = ["Admin: organizations"];
const security = adminSecurity;

adminOrganizationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations",
    tags,
    summary: "List every organization of the tenant (newest first)",
    security,
    request: { params: tenantParams, query: cursorQuerySchema },
    responses: { 200: json(pageOf(organizationSchema), "A page"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const page = await listOrganizations(c.get("deps"), c.get("scope"), { afterId: decodeCursor(query.cursor), limit: query.limit });
    return c.json({ data: page.items.map((organization) => organizationView(organization)), next_cursor: encodeCursor(page.nextAfterId) }, 200);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations",
    tags,
    summary: "Create an organization owned by a user",
    security,
    request: { params: tenantParams, body: jsonBody(adminCreateOrganizationRequestSchema) },
    responses: { 201: json(organizationSchema, "Created"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const { owner_user_id: ownerId, ...input } = c.req.valid("json");
    const organization = await createOrganization(c.get("deps"), c.get("scope"), input, ownerId, c.get("actor"));
    return c.json(organizationView(organization), 201);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations/{id}",
    tags,
    summary: "Get an organization",
    security,
    request: { params: orgParams },
    responses: { 200: json(organizationSchema, "The organization"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(organizationView((await getOrganization(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id)).organization), 200),
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/organizations/{id}",
    tags,
    summary: "Delete an organization",
    security,
    request: { params: orgParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteOrganization(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations/{id}/members",
    tags,
    summary: "List members",
    security,
    request: { params: orgParams },
    responses: { 200: json(z.object({ data: z.array(memberSchema) }), "Members"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const members = await listMembers(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.json({ data: members.map(memberView) }, 200);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations/{id}/members",
    tags,
    summary: "Add an existing user with a role",
    security,
    request: { params: orgParams, body: jsonBody(addMemberRequestSchema) },
    responses: { 201: json(z.object({ user_id: z.string(), role: z.string() }), "Added"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const membership = await addMember(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, { userId: body.user_id, role: body.role });
    return c.json({ user_id: membership.userId, role: membership.role }, 201);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/organizations/{id}/members/{user_id}",
    tags,
    summary: "Change a member's role (the last owner stays owner)",
    security,
    request: { params: memberParams, body: jsonBody(updateMemberRequestSchema) },
    responses: { 200: json(z.object({ user_id: z.string(), role: z.string() }), "Updated"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const { id, user_id: userId } = c.req.valid("param");
    const membership = await changeMemberRole(c.get("deps"), c.get("scope"), c.get("actor"), id, userId, c.req.valid("json").role);
    return c.json({ user_id: membership.userId, role: membership.role }, 200);
  },
);

adminOrganizationRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/organizations/{id}/members/{user_id}",
    tags,
    summary: "Remove a member (never the last owner)",
    security,
    request: { params: memberParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const { id, user_id: userId } = c.req.valid("param");
    await removeMember(c.get("deps"), c.get("scope"), c.get("actor"), id, userId);
    return c.body(null, 204);
  },
);
