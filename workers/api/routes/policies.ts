import { createRoute } from "@hono/zod-openapi";
import { evaluatePolicyRequestSchema, policyDecisionSchema } from "@plinto/contracts";
import { authenticateAccessToken, authenticateApiKey, decidePolicy, SECRET_KEY_PREFIX } from "@plinto/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { bearerToken } from "../middleware/authenticate";
import { createRouter } from "../router";
import { decisionView } from "../views/organization-views";
import { adminSecurity, authErrors, commonErrors, json, jsonBody, tenantParams } from "./openapi";

export const policyRoutes = createRouter();

/** A tenant secret key (decides for any subject) or a signed-in user (decides for themselves). */
const requireSecretKeyOrUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c);
  const deps = c.get("deps");
  const scope = c.get("scope");
  if (token.startsWith(SECRET_KEY_PREFIX)) {
    const key = await authenticateApiKey(deps, scope.tenant.id, token);
    c.set("actor", { type: "api_key", keyId: key.id });
  } else {
    const auth = await authenticateAccessToken(deps, scope, token);
    c.set("auth", auth);
    c.set("actor", auth.actor);
  }
  await next();
};

policyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/policies/evaluate",
    tags: ["Policies"],
    summary: "May this subject do this action on this resource? Allow or deny, with the rules that decided",
    description:
      "Evaluates the tenant's rules (`/admin/policies`): role grants plus conditions (same organization, resource owner, UTC time window, permission, attribute equality). Deny overrides allow; no applicable rule means deny. The subject's role and permissions are those held in `subject.organization_id`.",
    security: adminSecurity,
    middleware: [requireSecretKeyOrUser] as const,
    request: { params: tenantParams, body: jsonBody(evaluatePolicyRequestSchema) },
    responses: { 200: json(policyDecisionSchema, "The decision"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const decision = await decidePolicy(c.get("deps"), c.get("scope"), c.get("actor"), {
      subject: { userId: body.subject.user_id, organizationId: body.subject.organization_id, attributes: body.subject.attributes },
      action: body.action,
      resource: {
        type: body.resource.type,
        id: body.resource.id,
        ownerId: body.resource.owner_id,
        organizationId: body.resource.organization_id,
        attributes: body.resource.attributes,
      },
    });
    return c.json(decisionView(decision), 200);
  },
);
