import { oauthErrorSchema, oauthTokenRequestSchema, oauthTokenResponseSchema } from "@plinto/contracts";
import {
  authorizationCodeGrant,
  type CoreDeps,
  clientCredentialsGrant,
  deviceCodeGrant,
  limitTokenRequests,
  type OAuthClient,
  type OAuthTokenResponse,
  PlintoError,
  providerEndpoints,
  refreshTokenGrant,
  type TenantScope,
} from "@plinto/core";
import { tenantParams } from "../openapi";
import { createOAuthRouter, formResources, NO_STORE, readForm } from "./oauth-router";
import { authenticateRequestClient } from "./request-client";

type Grant = (
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  form: Record<string, string>,
  resources: string[],
) => Promise<OAuthTokenResponse>;

/** The grants the token endpoint dispatches on `grant_type` (RFC 6749 §4.1.3, §4.4.2, §6; RFC 8628 §3.4). */
const GRANTS: ReadonlyMap<string, Grant> = new Map<string, Grant>([
  ["authorization_code", authorizationCodeGrant],
  ["refresh_token", refreshTokenGrant],
  ["client_credentials", clientCredentialsGrant],
  ["urn:ietf:params:oauth:grant-type:device_code", (deps, scope, client, form) => deviceCodeGrant(deps, scope, client, form)],
]);

/** `POST {issuer}/oauth/token`, mounted under /oauth. */
export const tokenRoutes = createOAuthRouter();

tokenRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/token",
  tags: ["OAuth"],
  summary: "Token endpoint (RFC 6749 §3.2)",
  description:
    "Grants: authorization_code with PKCE S256, refresh_token (rotated; reuse revokes the grant), client_credentials, and the device_code grant. " +
    "Clients authenticate with client_secret_basic, client_secret_post, private_key_jwt or, for public clients, client_id alone. " +
    "Errors are RFC 6749 §5.2 JSON; responses carry Cache-Control: no-store.",
  request: { params: tenantParams, body: { content: { "application/x-www-form-urlencoded": { schema: oauthTokenRequestSchema } }, required: true } },
  responses: {
    200: { description: "Tokens", content: { "application/json": { schema: oauthTokenResponseSchema } } },
    400: { description: "RFC 6749 §5.2 error", content: { "application/json": { schema: oauthErrorSchema } } },
    401: { description: "invalid_client", content: { "application/json": { schema: oauthErrorSchema } } },
    429: { description: "temporarily_unavailable; see Retry-After", content: { "application/json": { schema: oauthErrorSchema } } },
  },
});

/**
 * parse the form -> pick the grant -> authenticate the client -> rate limit
 * per client -> run the grant -> answer with no-store.
 */
tokenRoutes.post("/token", async (c) => {
  const deps = c.get("deps");
  const scope = c.get("scope");
  const form = await readForm(c);
  if (form.grant_type === undefined) throw new PlintoError("invalid_request", { detail: "grant_type is required" });
  const grant = GRANTS.get(form.grant_type);
  if (!grant) throw new PlintoError("unsupported_grant_type", { detail: "grant_type is not supported" });
  const { client } = await authenticateRequestClient(c, form, providerEndpoints(scope.issuer).token);
  await limitTokenRequests(deps, scope, client);
  const tokens = await grant(deps, scope, client, form, formResources(form));
  return c.json(tokens, 200, NO_STORE);
});
