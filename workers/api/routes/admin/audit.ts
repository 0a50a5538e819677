import { createRoute } from "@hono/zod-openapi";
import { auditChainVerificationSchema, auditEventSchema, auditFilterSchema, auditQuerySchema, pageOf } from "@plinto/contracts";
import { SEAL_UNTIL_DONE_LIMITS, sealAuditChain, verifyAuditChain } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { auditEventView, decodeCursor, encodeCursor } from "../../views/views";
import { adminSecurity, authErrors, commonErrors, json, tenantParams } from "../openapi";
import { auditExportStream } from "./audit-export";
import { closingWhenDone } from "../../middleware/request-lifecycle";
import { storageFor } from "../../storage";

export const adminAuditRoutes = createRouter();
const tags = ["Admin: audit"];

/** The filters of the list and the export, as the storage port takes them. */
export const auditFilters = (query: z.infer<typeof auditFilterSchema>) => ({
  type: query.type,
  actorId: query.actor_id,
  subjectId: query.subject_id,
  from: query.from === undefined ? undefined : Date.parse(query.from),
  to: query.to === undefined ? undefined : Date.parse(query.to),
});

adminAuditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit-events",
    tags,
    summary: "Audit events, newest first, filterable by type, actor, subject and time",
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
      ...auditFilters(query),
    });
    return c.json({ data: page.items.map(auditEventView), next_cursor: encodeCursor(page.nextAfterId) }, 200);
  },
);

adminAuditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit-events/verify",
    tags,
    summary: "Seal pending audit events, then verify the tenant's audit hash chain and report the first broken link",
    description:
      "Links rows still waiting to be sealed, then walks the chain from seq 1 in pages; a deletion shows as a seq gap or prev_hash mismatch, an edit as a hash or personal-digest mismatch. `unsealed` counts rows still outside the chain (docs/audit.md).",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(auditChainVerificationSchema, "The verification result"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const [deps, tenantId] = [c.get("deps"), c.get("scope").tenant.id];
    await sealAuditChain(deps, tenantId, SEAL_UNTIL_DONE_LIMITS);
    const result = await verifyAuditChain(deps, tenantId);
    const broken = result.firstBroken;
    return c.json(
      {
        intact: result.intact,
        checked: result.checked,
        pseudonymised: result.pseudonymised,
        head: result.head,
        unsealed: await deps.storage.audit.countUnsealed(tenantId),
        first_broken: broken ? { seq: broken.seq, id: broken.id, reason: broken.reason, expected_seq: broken.expectedSeq } : null,
      },
      200,
    );
  },
);

adminAuditRoutes.openapi(
  createRoute({
    method: "get",
    path: "/audit-events/export",
    tags,
    summary: "Export audit events as NDJSON (one event per line, newest first), with the list's filters",
    security: adminSecurity,
    request: { params: tenantParams, query: auditFilterSchema },
    responses: {
      200: { content: { "application/x-ndjson": { schema: z.string() } }, description: "One JSON event per line" },
      ...commonErrors,
      ...authErrors,
    },
  }),
  (c) => {
    // The body is read after the handler returns, past this request's storage lifetime: the stream has its own.
    const storage = storageFor(c.env);
    const rows = auditExportStream({ ...c.get("deps"), storage }, c.get("scope").tenant.id, auditFilters(c.req.valid("query")));
    const stream = closingWhenDone(rows, storage.close);
    // A streamed body has no typed-response form in @hono/zod-openapi; the route's `responses` document it.
    return new Response(stream, { status: 200, headers: { "Content-Type": "application/x-ndjson", "Cache-Control": "no-store" } }) as never;
  },
);
