import { createRoute } from "@hono/zod-openapi";
import { tenantSettingsPatchSchema, tenantSettingsSchema } from "@plinto/contracts";
import { PlintoError, updateSettings } from "@plinto/core";
import { forgetTenant } from "../../middleware/tenant";
import { createRouter } from "../../router";
import { adminSecurity, authErrors, commonErrors, json, jsonBody, tenantParams } from "../openapi";

export const adminSettingsRoutes = createRouter();
const tags = ["Admin: settings"];

adminSettingsRoutes.openapi(
  createRoute({
    method: "get",
    path: "/settings",
    tags,
    summary: "Tenant settings",
    security: adminSecurity,
    request: { params: tenantParams },
    responses: { 200: json(tenantSettingsSchema, "Current settings"), ...authErrors },
  }),
  (c) => c.json(c.get("scope").tenant.settings, 200),
);

adminSettingsRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/settings",
    tags,
    summary: "Change tenant settings",
    description:
      "Any subset of sections and fields; the merged result is validated whole. Each change writes a `settings.updated` audit event; a new `signing_algorithm` rotates the signing key.",
    security: adminSecurity,
    request: { params: tenantParams, body: jsonBody(tenantSettingsPatchSchema) },
    responses: { 200: json(tenantSettingsSchema, "Updated settings"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const scope = c.get("scope");
    const deps = c.get("deps");
    // Merge onto the stored settings: the scope's tenant may be an isolate's cached copy that
    // predates a change made through another isolate, which this write would otherwise undo.
    const stored = await deps.storage.tenants.getBySlug(scope.tenant.slug);
    if (!stored) throw new PlintoError("tenant_not_found");
    const tenant = await updateSettings(deps, { ...scope, tenant: stored }, c.req.valid("json"), c.get("actor"));
    forgetTenant(scope.tenant.slug);
    return c.json(tenant.settings, 200);
  },
);
