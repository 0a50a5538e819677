import { createRoute } from "@hono/zod-openapi";
import {
  createdWebhookEndpointSchema,
  createWebhookEndpointRequestSchema,
  rotatedWebhookSecretSchema,
  rotateWebhookSecretRequestSchema,
  updateWebhookEndpointRequestSchema,
  webhookEndpointSchema,
  webhookEventTypes,
} from "@plinto/contracts";
import {
  allowPrivateWebhookTargets,
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  requireEndpoint,
  rotateWebhookSecret,
  updateWebhookEndpoint,
} from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { webhookEndpointView } from "../../views/webhook-view";
import { adminSecurity, authErrors, commonErrors, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

/** Webhook endpoints (issue 6): CRUD, enable/disable (PATCH `enabled`), secret rotation, event types. */
export const adminWebhookRoutes = createRouter();
const tags = ["Admin: webhooks"];
const endpointParams = tenantParams.extend({ id: z.string().max(64) });

adminWebhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/event-types",
    tags,
    summary: "Event types an endpoint can subscribe to",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(z.string()) }), "Event types"), ...authErrors },
  }),
  (c) => c.json({ data: [...webhookEventTypes] }, 200),
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/endpoints",
    tags,
    summary: "List endpoints (never their secrets)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(webhookEndpointSchema) }), "Endpoints, oldest first"), ...authErrors },
  }),
  async (c) => {
    const endpoints = await c.get("deps").storage.webhookEndpoints.list(c.get("scope").tenant.id);
    return c.json({ data: endpoints.map(webhookEndpointView) }, 200);
  },
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/endpoints",
    tags,
    summary: "Create an endpoint; its whsec_ secret is shown once",
    description: "The URL must be https and must not name a private, loopback or link-local address (validated again at every delivery).",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(createWebhookEndpointRequestSchema) },
    responses: { 201: json(createdWebhookEndpointSchema, "The endpoint and its secret"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const input = { url: body.url, description: body.description ?? null, eventTypes: body.event_types, enabled: body.enabled };
    const allowPrivate = allowPrivateWebhookTargets(c.env.PLINTO_ENV, c.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES);
    const created = await createWebhookEndpoint(c.get("deps"), c.get("scope"), c.get("actor"), input, allowPrivate);
    return c.json({ ...webhookEndpointView(created.endpoint), secret: created.secret }, 201);
  },
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhooks/endpoints/{id}",
    tags,
    summary: "One endpoint",
    security: adminSecurity,
    request: { params: endpointParams },
    responses: { 200: json(webhookEndpointSchema, "The endpoint"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(webhookEndpointView(await requireEndpoint(c.get("deps"), c.get("scope"), c.req.valid("param").id)), 200),
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/webhooks/endpoints/{id}",
    tags,
    summary: "Update an endpoint; `enabled` enables or disables it (enabling clears its failure count)",
    security: adminSecurity,
    request: { params: endpointParams, body: jsonBody(updateWebhookEndpointRequestSchema) },
    responses: { 200: json(webhookEndpointSchema, "The endpoint"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const input = { url: body.url, description: body.description, eventTypes: body.event_types, enabled: body.enabled };
    const allowPrivate = allowPrivateWebhookTargets(c.env.PLINTO_ENV, c.env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES);
    const endpoint = await updateWebhookEndpoint(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, input, allowPrivate);
    return c.json(webhookEndpointView(endpoint), 200);
  },
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/webhooks/endpoints/{id}",
    tags,
    summary: "Delete an endpoint and its delivery log",
    security: adminSecurity,
    request: { params: endpointParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteWebhookEndpoint(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);

adminWebhookRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhooks/endpoints/{id}/rotate-secret",
    tags,
    summary: "Rotate the signing secret; the old one keeps signing during the overlap",
    security: adminSecurity,
    request: { params: endpointParams, body: { ...jsonBody(rotateWebhookSecretRequestSchema), required: false } },
    responses: { 200: json(rotatedWebhookSecretSchema, "The new secret (shown once)"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const overlap = c.req.valid("json")?.overlap_seconds ?? 86_400;
    const rotated = await rotateWebhookSecret(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, overlap);
    const expires = rotated.previousSecretExpiresAt === null ? null : new Date(rotated.previousSecretExpiresAt).toISOString();
    return c.json({ secret: rotated.secret, previous_secret_expires_at: expires }, 200);
  },
);
