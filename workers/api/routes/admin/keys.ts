import { createRoute } from "@hono/zod-openapi";
import {
  apiKeySchema,
  createApiKeyRequestSchema,
  createdApiKeySchema,
  rotateSigningKeyRequestSchema,
  signingKeySchema,
} from "@plinto/contracts";
import { createApiKey, revokeApiKey, revokeSigningKey, rotateSigningKey } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { apiKeyView, signingKeyView } from "../../views/views";
import { adminSecurity, authErrors, commonErrors, emptyResponse, json, jsonBody, tenantParams } from "../openapi";

export const adminKeyRoutes = createRouter();

adminKeyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/signing-keys",
    tags: ["Admin: keys"],
    summary: "List signing keys (public metadata only)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(signingKeySchema) }), "Keys, newest first"), ...authErrors },
  }),
  async (c) => {
    const keys = await c.get("deps").storage.signingKeys.listAll(c.get("scope").tenant.id);
    return c.json({ data: keys.map(signingKeyView) }, 200);
  },
);

adminKeyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/signing-keys/rotate",
    tags: ["Admin: keys"],
    summary: "Rotate the signing key",
    description:
      "New tokens are signed with a new key at once; the previous public key stays in the JWKS until its last access token has expired.",
    security: adminSecurity,
    request: { params: tenantParams, body: { ...jsonBody(rotateSigningKeyRequestSchema), required: false } },
    responses: { 201: json(signingKeySchema, "The new active key"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const alg = c.req.valid("json")?.alg;
    const key = await rotateSigningKey(c.get("deps"), c.get("scope"), c.get("actor"), { alg });
    return c.json(signingKeyView(key), 201);
  },
);

adminKeyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/signing-keys/{kid}",
    tags: ["Admin: keys"],
    summary: "Revoke a signing key now (compromise); the active key is rotated first",
    security: adminSecurity,
    request: { params: tenantParams.extend({ kid: z.string().max(64) }) },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await revokeSigningKey(c.get("deps"), c.get("scope"), c.req.valid("param").kid, c.get("actor"));
    return c.body(null, 204);
  },
);

adminKeyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api-keys",
    tags: ["Admin: keys"],
    summary: "List secret keys (never the secrets)",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(apiKeySchema) }), "Secret keys"), ...authErrors },
  }),
  async (c) => {
    const keys = await c.get("deps").storage.apiKeys.list(c.get("scope").tenant.id);
    return c.json({ data: keys.map(apiKeyView) }, 200);
  },
);

adminKeyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/api-keys",
    tags: ["Admin: keys"],
    summary: "Create a secret key (shown once)",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(createApiKeyRequestSchema) },
    responses: { 201: json(createdApiKeySchema, "The key and its secret"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const created = await createApiKey(c.get("deps"), c.get("scope"), c.req.valid("json").name, c.get("actor"));
    return c.json({ ...apiKeyView(created.key), secret: created.secret }, 201);
  },
);

adminKeyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/api-keys/{id}",
    tags: ["Admin: keys"],
    summary: "Revoke a secret key",
    security: adminSecurity,
    request: { params: tenantParams.extend({ id: z.string().max(64) }) },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await revokeApiKey(c.get("deps"), c.get("scope"), c.req.valid("param").id, c.get("actor"));
    return c.body(null, 204);
  },
);
