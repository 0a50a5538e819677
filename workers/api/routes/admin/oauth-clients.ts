import { createRoute } from "@hono/zod-openapi";
import {
  createdOAuthClientSchema,
  createInitialAccessTokenRequestSchema,
  createOAuthClientRequestSchema,
  initialAccessTokenSchema,
  oauthClientSchema,
  rotatedOAuthClientSecretSchema,
  updatedOAuthClientSchema,
  updateOAuthClientRequestSchema,
} from "@plinto/contracts";
import {
  createInitialAccessToken,
  createOAuthClient,
  deleteOAuthClient,
  requireOAuthClient,
  rotateOAuthClientSecret,
  updateOAuthClient,
} from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { oauthClientView, profileFromCreateRequest, profileFromPatch } from "../../views/oauth-client-view";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

/** OAuth clients of the tenant's provider (issue 7, docs/oauth-clients.md): CRUD, secret rotation, DCR initial access tokens. */
export const adminOAuthClientRoutes = createRouter();
const tags = ["Admin: OAuth clients"];
const clientParams = tenantParams.extend({ id: z.string().max(128).describe("The client_id") });
/** A client_secret appears only in the response that issues it. */
const withSecret = (secret: string | null) => (secret === null ? {} : { client_secret: secret });

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "get",
    path: "/oauth/clients",
    tags,
    summary: "List OAuth clients (never their secrets)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(oauthClientSchema) }), "Clients, oldest first"), ...authErrors },
  }),
  async (c) => {
    const clients = await c.get("deps").storage.oauthClients.list(c.get("scope").tenant.id);
    return c.json({ data: clients.map(oauthClientView) }, 200);
  },
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "post",
    path: "/oauth/clients",
    tags,
    summary: "Register an OAuth client; a client_secret (secret-based methods) is shown once",
    description:
      "Redirect URIs are matched exactly: https, http on a loopback host, or (public clients) a private-use scheme. " +
      "Public clients use token_endpoint_auth_method none and cannot use client_credentials. " +
      "Errors: `invalid_redirect_uri`, `invalid_client_metadata`.",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(createOAuthClientRequestSchema) },
    responses: { 201: json(createdOAuthClientSchema, "The client and its secret"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const profile = profileFromCreateRequest(c.req.valid("json"));
    const saved = await createOAuthClient(c.get("deps"), c.get("scope"), c.get("actor"), profile);
    return c.json({ ...oauthClientView(saved.client), ...withSecret(saved.secret) }, 201);
  },
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "get",
    path: "/oauth/clients/{id}",
    tags,
    summary: "One OAuth client",
    security: adminSecurity,
    request: { params: clientParams },
    responses: { 200: json(oauthClientSchema, "The client"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(oauthClientView(await requireOAuthClient(c.get("deps"), c.get("scope"), c.req.valid("param").id)), 200),
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/oauth/clients/{id}",
    tags,
    summary: "Update a client; the result is validated whole",
    description: "Moving to client_secret_basic/post from a method without a secret issues one, returned once as client_secret.",
    security: adminSecurity,
    request: { params: clientParams, body: jsonBody(updateOAuthClientRequestSchema) },
    responses: { 200: json(updatedOAuthClientSchema, "The client"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const current = await requireOAuthClient(deps, c.get("scope"), c.req.valid("param").id);
    const saved = await updateOAuthClient(deps, c.get("scope"), c.get("actor"), current, profileFromPatch(current, c.req.valid("json")));
    return c.json({ ...oauthClientView(saved.client), ...withSecret(saved.secret) }, 200);
  },
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/oauth/clients/{id}",
    tags,
    summary: "Delete a client: its grants' sessions are revoked and its consents deleted",
    security: adminSecurity,
    request: { params: clientParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const client = await requireOAuthClient(deps, c.get("scope"), c.req.valid("param").id);
    await deleteOAuthClient(deps, c.get("scope"), c.get("actor"), client);
    return c.body(null, 204);
  },
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "post",
    path: "/oauth/clients/{id}/secret",
    tags,
    summary: "Rotate the client secret; the new one is shown once and the old one stops working",
    security: adminSecurity,
    request: { params: clientParams },
    responses: {
      200: json(rotatedOAuthClientSecretSchema, "The new secret"),
      ...conflict,
      ...commonErrors,
      ...authErrors,
    },
  }),
  async (c) => {
    const id = c.req.valid("param").id;
    const secret = await rotateOAuthClientSecret(c.get("deps"), c.get("scope"), c.get("actor"), id);
    return c.json({ client_id: id, client_secret: secret }, 200);
  },
);

adminOAuthClientRoutes.openapi(
  createRoute({
    method: "post",
    path: "/oauth/initial-access-tokens",
    tags,
    summary: "Issue an RFC 7591 initial access token for dynamic client registration (shown once)",
    description: "Used as `Authorization: Bearer` at POST {issuer}/oauth/register when settings.oauth.dynamic_registration is initial_access_token.",
    security: adminSecurity,
    request: { params: tenantParams, body: { ...jsonBody(createInitialAccessTokenRequestSchema), required: false } },
    responses: { 201: json(initialAccessTokenSchema, "The token"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = createInitialAccessTokenRequestSchema.parse(c.req.valid("json") ?? {});
    const issued = await createInitialAccessToken(c.get("deps"), c.get("scope"), c.get("actor"), {
      expiresInSeconds: body.expires_in,
      maxUses: body.max_uses,
    });
    return c.json({ initial_access_token: issued.token, expires_at: new Date(issued.expiresAt).toISOString(), max_uses: issued.maxUses }, 201);
  },
);
