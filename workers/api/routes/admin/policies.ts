import { createRoute } from "@hono/zod-openapi";
import { policySetSchema, putPolicySetRequestSchema } from "@plinto/contracts";
import { getPolicies, putPolicies } from "@plinto/core";
import { createRouter } from "../../router";
import { adminSecurity, authErrors, commonErrors, json, jsonBody, tenantParams } from "../openapi";

/** The tenant's policy rules, replaced whole and validated on save (field errors such as `rules.2.conditions.0.start`). */
export const adminPolicyRoutes = createRouter();
const tags = ["Admin: policies"];
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

adminPolicyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/policies",
    tags,
    summary: "Get the policy rules",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(policySetSchema, "The rules (empty: everything is denied)"), ...authErrors },
  }),
  async (c) => {
    const set = await getPolicies(c.get("deps"), c.get("scope"));
    return c.json({ rules: set.rules, updated_at: iso(set.updatedAt) }, 200);
  },
);

adminPolicyRoutes.openapi(
  createRoute({
    method: "put",
    path: "/policies",
    tags,
    summary: "Replace the policy rules",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(putPolicySetRequestSchema) },
    responses: { 200: json(policySetSchema, "Saved"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const set = await putPolicies(c.get("deps"), c.get("scope"), c.get("actor"), c.req.valid("json").rules);
    return c.json({ rules: set.rules, updated_at: iso(set.updatedAt) }, 200);
  },
);
