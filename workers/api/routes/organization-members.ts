import { createRoute } from "@hono/zod-openapi";
import { memberSchema, transferOwnershipRequestSchema, updateMemberRequestSchema } from "@plinto/contracts";
import { changeMemberRole, leaveOrganization, listMembers, removeMember, transferOwnership } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { memberView } from "../views/organization-views";
import { authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, userSecurity } from "./openapi";
import { orgParams } from "./organizations";

/** Members of an organization; every change is checked against the caller's role (members:manage, organization:transfer). */
export const organizationMemberRoutes = createRouter();
const memberParams = orgParams.extend({ user_id: z.string().max(64) });
const tags = ["Organizations"];
const lastOwner = { 409: conflict[409] };

organizationMemberRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations/{id}/members",
    tags,
    summary: "List members and their roles (members:read)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams },
    responses: { 200: json(z.object({ data: z.array(memberSchema) }), "Members, oldest first"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const members = await listMembers(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.json({ data: members.map(memberView) }, 200);
  },
);

organizationMemberRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/organizations/{id}/members/{user_id}",
    tags,
    summary: "Change a member's role (members:manage; granting or removing owner needs organization:transfer)",
    description: "409 `last_owner` when the change would leave the organization without an owner.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: memberParams, body: jsonBody(updateMemberRequestSchema) },
    responses: { 200: json(z.object({ user_id: z.string(), role: z.string() }), "Updated"), ...commonErrors, ...authErrors, ...lastOwner },
  }),
  async (c) => {
    const { id, user_id: userId } = c.req.valid("param");
    const membership = await changeMemberRole(c.get("deps"), c.get("scope"), c.get("actor"), id, userId, c.req.valid("json").role);
    return c.json({ user_id: membership.userId, role: membership.role }, 200);
  },
);

organizationMemberRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/organizations/{id}/members/{user_id}",
    tags,
    summary: "Remove a member (members:manage; an owner only by an owner; never the last owner)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: memberParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...lastOwner },
  }),
  async (c) => {
    const { id, user_id: userId } = c.req.valid("param");
    await removeMember(c.get("deps"), c.get("scope"), c.get("actor"), id, userId);
    return c.body(null, 204);
  },
);

organizationMemberRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations/{id}/leave",
    tags,
    summary: "Leave an organization (the last owner must transfer ownership first)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...lastOwner },
  }),
  async (c) => {
    await leaveOrganization(c.get("deps"), c.get("scope"), c.get("auth").actor, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

organizationMemberRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations/{id}/transfer-ownership",
    tags,
    summary: "Make another member owner; the caller becomes admin (owners only)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams, body: jsonBody(transferOwnershipRequestSchema) },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await transferOwnership(c.get("deps"), c.get("scope"), c.get("auth").actor, c.req.valid("param").id, c.req.valid("json").user_id);
    return c.body(null, 204);
  },
);
