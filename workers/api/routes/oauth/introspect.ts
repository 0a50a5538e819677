import { oauthErrorSchema, oauthIntrospectionRequestSchema, oauthIntrospectionResponseSchema } from "@plinto/contracts";
import { introspectToken, providerEndpoints } from "@plinto/core";
import { tenantParams } from "../openapi";
import { createOAuthRouter, NO_STORE, readForm } from "./oauth-router";
import { authenticateRequestClient } from "./request-client";

/** `POST {issuer}/oauth/introspect` (RFC 7662), mounted under /oauth. */
export const introspectionRoutes = createOAuthRouter();

introspectionRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/introspect",
  tags: ["OAuth"],
  summary: "Token introspection (RFC 7662)",
  description:
    "A confidential client asks whether one of its access tokens or OAuth refresh tokens is active, or, as a " +
    "resource server, whether an access token whose audience is one of its allowed resources is active. " +
    "Other tokens, other tenants' tokens, and invalid, expired, revoked or rotated tokens are `{active: false}`.",
  request: { params: tenantParams, body: { content: { "application/x-www-form-urlencoded": { schema: oauthIntrospectionRequestSchema } }, required: true } },
  responses: {
    200: { description: "RFC 7662 §2.2 response", content: { "application/json": { schema: oauthIntrospectionResponseSchema } } },
    400: { description: "RFC 6749 §5.2 error", content: { "application/json": { schema: oauthErrorSchema } } },
    401: { description: "invalid_client", content: { "application/json": { schema: oauthErrorSchema } } },
  },
});

/** parse the form -> authenticate the client -> look the token up -> answer (never cached, RFC 7662 §2.2). */
introspectionRoutes.post("/introspect", async (c) => {
  const scope = c.get("scope");
  const form = await readForm(c);
  const caller = await authenticateRequestClient(c, form, providerEndpoints(scope.issuer).introspection);
  const answer = await introspectToken(c.get("deps"), scope, caller, form);
  return c.json(answer, 200, NO_STORE);
});
