import { createRoute } from "@hono/zod-openapi";
import { auditEventSchema, auditQuerySchema, pageOf } from "@plinto/contracts";
import { createRouter } from "../../router";
import { auditEventView, decodeCursor, encodeCursor } from "../../views/views";
import { adminSecurity, authErrors, commonErrors, json, tenantParams } from "../openapi";

export const adminAuditRoutes = createRouter();

adminAuditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit-events",
    tags: ["Admin: audit"],
    summary: "Audit events, newest first, filterable by type, actor and subject",
    security: adminSecurity,
    request: { params: tenantParams, query: auditQuerySchema },
    responses: { 200: json(pageOf(auditEventSchema), "A page of events"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const query = c.req.valid("query");
    const page = await c.get("deps").storage.audit.list({
      tenantId: c.get("scope").tenant.id,
      afterId: decodeCursor(query.cursor),
      limit: query.limit,
      type: query.type,
      actorId: query.actor_id,
      subjectId: query.subject_id,
    });
    return c.json({ data: page.items.map(auditEventView), next_cursor: encodeCursor(page.nextAfterId) }, 200);
  },
);
