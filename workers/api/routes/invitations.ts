import { createRoute } from "@hono/zod-openapi";
import { acceptInvitationRequestSchema, createInvitationRequestSchema, invitationSchema } from "@plinto/contracts";
import { acceptInvitation, inviteMember, listInvitations, revokeInvitation } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { invitationView } from "../views/organization-views";
import { authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, mailErrors, userSecurity, tenantParams } from "./openapi";
import { orgParams } from "./organizations";

/** Invitations by email with single-use, expiring links (invitations:manage to send, list and revoke). */
export const invitationRoutes = createRouter();
const tags = ["Organizations"];

invitationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/organizations/{id}/invitations",
    tags,
    summary: "Invite an email address; the link works once and expires (settings.organizations.invitation_ttl_seconds)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams, body: jsonBody(createInvitationRequestSchema) },
    responses: { 201: json(invitationSchema, "Invited and mailed"), ...commonErrors, ...authErrors, ...conflict, ...mailErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const invitation = await inviteMember(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, {
      email: body.email,
      role: body.role,
      redirectUrl: body.redirect_url,
    });
    return c.json(invitationView(invitation), 201);
  },
);

invitationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/organizations/{id}/invitations",
    tags,
    summary: "List pending invitations",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams },
    responses: { 200: json(z.object({ data: z.array(invitationSchema) }), "Pending, newest first"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const invitations = await listInvitations(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.json({ data: invitations.map(invitationView) }, 200);
  },
);

invitationRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/organizations/{id}/invitations/{invitation_id}",
    tags,
    summary: "Revoke a pending invitation; its link stops working",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: orgParams.extend({ invitation_id: z.string().max(64) }) },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const { id, invitation_id: invitationId } = c.req.valid("param");
    await revokeInvitation(c.get("deps"), c.get("scope"), c.get("actor"), id, invitationId);
    return c.body(null, 204);
  },
);

invitationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/invitations/accept",
    tags,
    summary: "Accept an invitation as the signed-in user",
    description:
      "The caller's verified email must be the invited address (403 `invitation_email_mismatch`, `email_not_verified`). A new user signs up with that address, verifies it, then accepts. The token works once.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(acceptInvitationRequestSchema) },
    responses: {
      200: json(z.object({ organization_id: z.string(), role: z.string() }), "Now a member"),
      ...commonErrors,
      ...authErrors,
      ...conflict,
    },
  }),
  async (c) => {
    const auth = c.get("auth");
    const membership = await acceptInvitation(c.get("deps"), c.get("scope"), auth.user, auth.actor, c.req.valid("json").token);
    return c.json({ organization_id: membership.organizationId, role: membership.role }, 200);
  },
);
