import { createRoute } from "@hono/zod-openapi";
import { userExportSchema } from "@plinto/contracts";
import { exportUserData } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { userExportView } from "../../views/user-export";
import { adminSecurity, authErrors, commonErrors, json, tenantParams } from "../openapi";

export const adminUserExportRoutes = createRouter();

adminUserExportRoutes.openapi(
  createRoute({
    method: "get",
    path: "/users/{id}/export",
    tags: ["Admin: users"],
    summary: "Everything Plinto holds on a user, as JSON (GDPR Art. 15 and 20)",
    security: adminSecurity,
    request: { params: tenantParams.extend({ id: z.string().max(64) }) },
    responses: { 200: json(userExportSchema, "The export"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const data = await exportUserData(deps, c.get("scope"), c.req.valid("param").id);
    return c.json(userExportView(data, deps.clock.now()), 200);
  },
);
