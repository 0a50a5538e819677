import { createRoute } from "@hono/zod-openapi";
import { activeOrganizationRequestSchema, activeOrganizationResponseSchema } from "@plinto/contracts";
import { switchActiveOrganization } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { authErrors, commonErrors, json, jsonBody, tenantParams, userSecurity } from "./openapi";

export const activeOrganizationRoutes = createRouter();

activeOrganizationRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/active-organization",
    tags: ["Sessions"],
    summary: "Switch the current session's active organization and get an access token carrying it",
    description:
      "The token carries `org_id`, `org_role` and, when settings.organizations.permissions_in_token is on, `permissions`. Refreshes keep the organization while the membership lasts; after removal or deletion the next refresh drops the claims.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(activeOrganizationRequestSchema) },
    responses: { 200: json(activeOrganizationResponseSchema, "A fresh access token"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const result = await switchActiveOrganization(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("json").organization_id);
    return c.json(
      {
        access_token: result.accessToken,
        token_type: "Bearer" as const,
        expires_in: result.expiresIn,
        organization_id: result.claims?.org_id ?? null,
        org_role: result.claims?.org_role ?? null,
      },
      200,
    );
  },
);
