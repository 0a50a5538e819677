import { oauthErrorSchema, oauthRevocationRequestSchema } from "@plinto/contracts";
import { providerEndpoints, revokeToken } from "@plinto/core";
import { tenantParams } from "../openapi";
import { createOAuthRouter, readForm } from "./oauth-router";
import { authenticateRequestClient } from "./request-client";

/** `POST {issuer}/oauth/revoke` (RFC 7009), mounted under /oauth. */
export const revocationEndpointRoutes = createOAuthRouter();

revocationEndpointRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/revoke",
  tags: ["OAuth"],
  summary: "Token revocation (RFC 7009)",
  description:
    "The client revokes one of its refresh or access tokens; a user grant's whole session ends. " +
    "200 also for unknown, expired or other clients' tokens (which are left alone).",
  request: { params: tenantParams, body: { content: { "application/x-www-form-urlencoded": { schema: oauthRevocationRequestSchema } }, required: true } },
  responses: {
    200: { description: "Revoked, or nothing to revoke" },
    400: { description: "RFC 6749 §5.2 error", content: { "application/json": { schema: oauthErrorSchema } } },
    401: { description: "invalid_client", content: { "application/json": { schema: oauthErrorSchema } } },
  },
});

/** parse the form -> authenticate the client (public clients by client_id, RFC 7009 §2.1) -> revoke -> 200 (§2.2). */
revocationEndpointRoutes.post("/revoke", async (c) => {
  const scope = c.get("scope");
  const form = await readForm(c);
  const { client } = await authenticateRequestClient(c, form, providerEndpoints(scope.issuer).revocation);
  await revokeToken(c.get("deps"), scope, client, form);
  return c.body(null, 200);
});
