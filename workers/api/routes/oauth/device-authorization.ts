import { oauthDeviceAuthorizationRequestSchema, oauthDeviceAuthorizationResponseSchema, oauthErrorSchema } from "@plinto/contracts";
import { providerEndpoints, startDeviceAuthorization } from "@plinto/core";
import { tenantParams } from "../openapi";
import { createOAuthRouter, formResources, NO_STORE, readForm } from "./oauth-router";
import { authenticateRequestClient } from "./request-client";

/** `POST {issuer}/oauth/device_authorization` (RFC 8628 §3.1), mounted under /oauth. */
export const deviceAuthorizationRoutes = createOAuthRouter();

deviceAuthorizationRoutes.openAPIRegistry.registerPath({
  method: "post",
  path: "/device_authorization",
  tags: ["OAuth"],
  summary: "Device authorization (RFC 8628 §3.1)",
  description:
    "A client registered for the device_code grant asks for a device code and a user code. The user enters the code at " +
    "verification_uri ({issuer}/device) while the device polls the token endpoint.",
  request: { params: tenantParams, body: { content: { "application/x-www-form-urlencoded": { schema: oauthDeviceAuthorizationRequestSchema } }, required: true } },
  responses: {
    200: { description: "RFC 8628 §3.2 response", content: { "application/json": { schema: oauthDeviceAuthorizationResponseSchema } } },
    400: { description: "RFC 6749 §5.2 error (invalid_scope, invalid_target, unauthorized_client, ...)", content: { "application/json": { schema: oauthErrorSchema } } },
    401: { description: "invalid_client", content: { "application/json": { schema: oauthErrorSchema } } },
  },
});

/** parse the form -> authenticate the client by its registered method -> resolve scope and resources -> codes (never cached). */
deviceAuthorizationRoutes.post("/device_authorization", async (c) => {
  const scope = c.get("scope");
  const form = await readForm(c);
  const { client } = await authenticateRequestClient(c, form, providerEndpoints(scope.issuer).deviceAuthorization);
  const response = await startDeviceAuthorization(c.get("deps"), scope, client, { scope: form.scope ?? null, resources: formResources(form) });
  return c.json(response, 200, NO_STORE);
});
