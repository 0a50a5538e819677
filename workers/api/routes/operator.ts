import { createRoute } from "@hono/zod-openapi";
import { createTenantRequestSchema, createTenantResponseSchema } from "@plinto/contracts";
import { createTenant } from "@plinto/core";
import { requireOperator } from "../middleware/operator";
import { publicOrigin, requestContext } from "../middleware/request-context";
import { forgetTenant } from "../middleware/tenant";
import { noStoreByDefault } from "../middleware/security";
import { createRouter } from "../router";
import { apiKeyView, tenantView } from "../views/views";
import { authErrors, commonErrors, conflict, json, jsonBody } from "./openapi";

export const operatorRoutes = createRouter();
/** Responses here carry a tenant's first secret key: never cached. */
operatorRoutes.use("*", noStoreByDefault);

operatorRoutes.openapi(
  createRoute({
    method: "post",
    path: "/tenants",
    tags: ["Operator"],
    summary: "Create a tenant",
    description:
      "Creates the tenant with default settings, an RS256 signing key and a first secret key, returned once in `secret_key.secret`.",
    security: [{ operatorKey: [] }],
    middleware: [requireOperator] as const,
    request: { body: jsonBody(createTenantRequestSchema) },
    responses: { 201: json(createTenantResponseSchema, "Tenant created"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const origin = publicOrigin(c);
    const { tenant, secretKey } = await createTenant(
      c.get("deps"),
      { slug: body.slug, name: body.name, allowedOrigins: body.allowed_origins },
      origin,
      requestContext(c),
    );
    forgetTenant(tenant.slug); // this isolate may remember the slug as unknown

    return c.json(
      { tenant: tenantView(tenant, origin), secret_key: { ...apiKeyView(secretKey.key), secret: secretKey.secret } },
      201,
    );
  },
);
