import { createRoute } from "@hono/zod-openapi";
import { connectionSchema, createConnectionRequestSchema, updateConnectionRequestSchema } from "@plinto/contracts";
import { type ConnectionPatch, createConnection, deleteConnection, requireConnection, updateConnection } from "@plinto/core";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { createRouter } from "../../router";
import { upstreamConnectionView } from "../../views/upstream-connection-view";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

/** Upstream (social) sign-in connections (issue 7, docs/social-sign-in.md). Secrets are write-only. */
export const adminUpstreamConnectionRoutes = createRouter();
const tags = ["Admin: connections"];
const connectionParams = tenantParams.extend({ id: z.string().max(64) });

/** Provider URLs may be plain http to a loopback address outside production (local development, tests). */
const allowHttp = (env: AppEnv["Bindings"]): boolean => env.PLINTO_ENV !== "production";

adminUpstreamConnectionRoutes.openapi(
  createRoute({
    method: "get",
    path: "/connections",
    tags,
    summary: "List connections (never their secrets)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(connectionSchema) }), "Connections"), ...authErrors },
  }),
  async (c) => {
    const scope = c.get("scope");
    const connections = await c.get("deps").storage.upstreamConnections.list(scope.tenant.id);
    return c.json({ data: connections.map((connection) => upstreamConnectionView(scope, connection)) }, 200);
  },
);

adminUpstreamConnectionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/connections",
    tags,
    summary: "Create a connection (Google, Microsoft, GitHub, Apple, generic OIDC or OAuth 2.0)",
    description: "Validated per kind; an `oidc` issuer's discovery document is fetched and its issuer must match. Register `redirect_uri` at the provider.",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(createConnectionRequestSchema) },
    responses: { 201: json(connectionSchema, "The connection"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const input = {
      slug: body.slug,
      kind: body.kind,
      displayName: body.display_name,
      enabled: body.enabled,
      clientId: body.client_id,
      clientSecret: body.client_secret ?? null,
      issuer: body.issuer ?? null,
      authorizationEndpoint: body.authorization_endpoint ?? null,
      tokenEndpoint: body.token_endpoint ?? null,
      userinfoEndpoint: body.userinfo_endpoint ?? null,
      scopes: body.scopes,
      options: body.options,
    };
    const connection = await createConnection(c.get("deps"), c.get("scope"), c.get("actor"), input, allowHttp(c.env));
    return c.json(upstreamConnectionView(c.get("scope"), connection), 201);
  },
);

adminUpstreamConnectionRoutes.openapi(
  createRoute({
    method: "get",
    path: "/connections/{id}",
    tags,
    summary: "One connection",
    security: adminSecurity,
    request: { params: connectionParams },
    responses: { 200: json(connectionSchema, "The connection"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const connection = await requireConnection(c.get("deps"), c.get("scope"), c.req.valid("param").id);
    return c.json(upstreamConnectionView(c.get("scope"), connection), 200);
  },
);

adminUpstreamConnectionRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/connections/{id}",
    tags,
    summary: "Update a connection (the kind cannot change; `client_secret: null` clears the secret)",
    security: adminSecurity,
    request: { params: connectionParams, body: jsonBody(updateConnectionRequestSchema) },
    responses: { 200: json(connectionSchema, "The connection"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const patch: ConnectionPatch = {
      slug: body.slug,
      displayName: body.display_name,
      enabled: body.enabled,
      clientId: body.client_id,
      clientSecret: body.client_secret,
      issuer: body.issuer,
      authorizationEndpoint: body.authorization_endpoint,
      tokenEndpoint: body.token_endpoint,
      userinfoEndpoint: body.userinfo_endpoint,
      scopes: body.scopes,
      options: body.options,
    };
    for (const key of Object.keys(patch) as (keyof ConnectionPatch)[]) if (patch[key] === undefined) delete patch[key];
    const connection = await updateConnection(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id, patch, allowHttp(c.env));
    return c.json(upstreamConnectionView(c.get("scope"), connection), 200);
  },
);

adminUpstreamConnectionRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/connections/{id}",
    tags,
    summary: "Delete a connection and the identities linked through it (users stay)",
    security: adminSecurity,
    request: { params: connectionParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteConnection(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
