import { createRoute } from "@hono/zod-openapi";
import { pageOf, replayFailedRequestSchema, replayResultSchema, webhookDeliveryQuerySchema, webhookDeliverySchema } from "@plinto/contracts";
import { replayDelivery, replayFailedSince, requireEndpoint, sendTestEvent } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { decodeCursor, encodeCursor } from "../../views/views";
import { webhookDeliveryView } from "../../views/webhook-view";
import { adminSecurity, authErrors, commonErrors, conflict, json, jsonBody, tenantParams } from "../openapi";

/** The delivery log per endpoint, manual replay and test events (issue 6). */
export const adminWebhookDeliveryRoutes = createRouter();
const tags = ["Admin: webhooks"];
const idParams = tenantParams.extend({ id: z.string().max(64) });

adminWebhookDeliveryRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/endpoints/{id}/deliveries",
    tags,
    summary: "Delivery log of an endpoint, newest first: status, attempts, last response code and latency",
    security: adminSecurity,
    request: { params: idParams, query: webhookDeliveryQuerySchema },
    responses: { 200: json(pageOf(webhookDeliverySchema), "A page of deliveries"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const { id } = c.req.valid("param");
    const query = c.req.valid("query");
    const endpoint = await requireEndpoint(c.get("deps"), c.get("scope"), id);
    const page = await c.get("deps").storage.webhookDeliveries.list({
      tenantId: endpoint.tenantId,
      endpointId: endpoint.id,
      afterId: decodeCursor(query.cursor),
      limit: query.limit,
      status: query.status,
    });
    return c.json({ data: page.items.map(webhookDeliveryView), next_cursor: encodeCursor(page.nextAfterId) }, 200);
  },
);

adminWebhookDeliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/endpoints/{id}/test",
    tags,
    summary: "Queue a `webhook.test` event for this endpoint",
    security: adminSecurity,
    request: { params: idParams },
    responses: { 202: json(z.object({ delivery_id: z.string() }), "Queued"), ...commonErrors, ...conflict, ...authErrors },
  }),
  async (c) => {
    const deliveryId = await sendTestEvent(c.get("deps"), c.get("scope"), c.req.valid("param").id);
    return c.json({ delivery_id: deliveryId }, 202);
  },
);

adminWebhookDeliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/deliveries/{id}/replay",
    tags,
    summary: "Replay one failed delivery (same webhook-id and body, fresh retry schedule)",
    security: adminSecurity,
    request: { params: idParams },
    responses: { 202: json(replayResultSchema, "Queued"), ...commonErrors, ...conflict, ...authErrors },
  }),
  async (c) => {
    await replayDelivery(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.json({ replayed: 1 }, 202);
  },
);

adminWebhookDeliveryRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/deliveries/replay",
    tags,
    summary: "Replay every failed delivery created since a time (at most 1000 per call)",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(replayFailedRequestSchema) },
    responses: { 202: json(replayResultSchema, "How many were queued"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const count = await replayFailedSince(c.get("deps"), c.get("scope"), c.get("actor"), Date.parse(body.since), body.endpoint_id);
    return c.json({ replayed: count }, 202);
  },
);
