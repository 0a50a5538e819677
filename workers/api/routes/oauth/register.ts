import {
  clientInformationResponseSchema,
  clientRegistrationRequestSchema,
  clientUpdateRequestSchema,
  oauthErrorSchema,
} from "@plinto/contracts";
import {
  authenticateRegistration,
  deleteRegistration,
  PlintoError,
  providerEndpoints,
  registerClient,
  updateRegistration,
} from "@plinto/core";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../app-env";
import { bearerToken } from "../../middleware/authenticate";
import { clientInformationView } from "../../views/client-registration-view";
import { tenantParams } from "../openapi";
import { createOAuthRouter, NO_STORE } from "./oauth-router";

/** RFC 7591 §3.2.1: registration responses must not be cached. */

/**
 * Dynamic Client Registration (RFC 7591) at `POST {issuer}/oauth/register`
 * and its management protocol (RFC 7592) at `{issuer}/oauth/register/{client_id}`,
 * mounted under /oauth. Errors are `{error, error_description}` (RFC 7591 §3.2.2).
 */
export const registrationRoutes = createOAuthRouter();

const errors = {
  400: { description: "invalid_redirect_uri, invalid_client_metadata (RFC 7591 §3.2.2)", content: { "application/json": { schema: oauthErrorSchema } } },
  401: { description: "invalid_token: missing or wrong initial / registration access token (RFC 6750 §3)", content: { "application/json": { schema: oauthErrorSchema } } },
  404: { description: "Dynamic registration is not enabled for the tenant", content: { "application/json": { schema: oauthErrorSchema } } },
};
const configurationParams = tenantParams.extend({ client_id: z.string().max(128).describe("The client_id") });
const information = { content: { "application/json": { schema: clientInformationResponseSchema } } };

registrationRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/register",
  tags: ["OAuth"],
  summary: "Dynamic client registration (RFC 7591 §3.1)",
  description:
    "Enabled by settings.oauth.dynamic_registration: `open`, or `initial_access_token` (send `Authorization: Bearer iat_...` " +
    "from POST /admin/oauth/initial-access-tokens). Dynamically registered clients are never first-party.",
  request: { params: tenantParams, body: { content: { "application/json": { schema: clientRegistrationRequestSchema } }, required: true } },
  responses: { 201: { description: "Client information response (RFC 7591 §3.2.1)", ...information }, ...errors },
});
for (const method of ["get", "put", "delete"] as const) {
  registrationRoutes.openAPIRegistry.registerPath({
    method,
    path: "/register/{client_id}",
    tags: ["OAuth"],
    summary: `Client configuration endpoint: ${method === "get" ? "read" : method === "put" ? "replace" : "delete"} the registration (RFC 7592 §2)`,
    description: "Authenticated with the registration access token (`Authorization: Bearer rat_...`).",
    request: {
      params: configurationParams,
      ...(method === "put" ? { body: { content: { "application/json": { schema: clientUpdateRequestSchema } }, required: true } } : {}),
    },
    responses: method === "delete" ? { 204: { description: "Deleted" }, ...errors } : { 200: { description: "Client information response", ...information }, ...errors },
  });
}

/**
 * The JSON body checked against an RFC 7591 schema. Every problem is
 * `invalid_client_metadata`, or `invalid_redirect_uri` for redirect_uris
 * (RFC 7591 §3.2.2).
 */
async function readMetadata<T extends z.ZodType>(c: Context<AppEnv>, schema: T): Promise<z.infer<T>> {
  const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") throw new PlintoError("invalid_request", { detail: "the body must be application/json (RFC 7591 §3.1)" });
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new PlintoError("invalid_request", { detail: "the body is not valid JSON" });
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join(".") ?? "";
  const code = field.startsWith("redirect_uris") ? "invalid_redirect_uri" : "invalid_client_metadata";
  const message = issue?.message ?? "is invalid";
  throw new PlintoError(code, { detail: field ? `${field}: ${message}` : message });
}

const registrationClientUri = (c: Context<AppEnv>, clientId: string): string =>
  `${providerEndpoints(c.get("scope").issuer).registration}/${encodeURIComponent(clientId)}`;

/** Authenticates a client configuration request: the path's client and its registration access token. */
async function registeredClient(c: Context<AppEnv>) {
  const token = bearerToken(c);
  const client = await authenticateRegistration(c.get("deps"), c.get("scope"), c.req.param("client_id") ?? "", token);
  return { client, token };
}

registrationRoutes.post("/register", async (c) => {
  const bearer = c.req.header("Authorization") === undefined ? null : bearerToken(c);
  const request = await readMetadata(c, clientRegistrationRequestSchema);
  const registered = await registerClient(c.get("deps"), c.get("scope"), request, bearer);
  const body = clientInformationView(registered.client, {
    secret: registered.secret,
    registrationAccessToken: registered.registrationAccessToken,
    registrationClientUri: registrationClientUri(c, registered.client.id),
  });
  return c.json(body, 201, NO_STORE);
});

registrationRoutes.get("/register/:client_id", async (c) => {
  const { client, token } = await registeredClient(c);
  const credentials = { secret: null, registrationAccessToken: token, registrationClientUri: registrationClientUri(c, client.id) };
  return c.json(clientInformationView(client, credentials), 200, NO_STORE);
});

registrationRoutes.put("/register/:client_id", async (c) => {
  const { client, token } = await registeredClient(c);
  const request = await readMetadata(c, clientUpdateRequestSchema);
  const saved = await updateRegistration(c.get("deps"), c.get("scope"), client, request);
  const credentials = { secret: saved.secret, registrationAccessToken: token, registrationClientUri: registrationClientUri(c, client.id) };
  return c.json(clientInformationView(saved.client, credentials), 200, NO_STORE);
});

registrationRoutes.delete("/register/:client_id", async (c) => {
  const { client } = await registeredClient(c);
  await deleteRegistration(c.get("deps"), c.get("scope"), client);
  return c.body(null, 204, NO_STORE);
});
