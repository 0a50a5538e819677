import { createRoute } from "@hono/zod-openapi";
import { userExportSchema } from "@plinto/contracts";
import { eraseUser, exportUserData, requireRecentAuthentication } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { userExportView } from "../views/user-export";
import { authErrors, commonErrors, emptyResponse, json, tenantParams, userSecurity } from "./openapi";

/** The signed-in user's privacy rights: access and portability (GDPR Art. 15, 20), erasure (Art. 17). */
export const mePrivacyRoutes = createRouter();

mePrivacyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me/export",
    tags: ["Me"],
    summary: "Everything Plinto holds on me, as JSON",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(userExportSchema, "The export"), ...authErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const data = await exportUserData(deps, c.get("scope"), c.get("auth").user.id);
    return c.json(userExportView(data, deps.clock.now()), 200);
  },
);

mePrivacyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/me",
    tags: ["Me"],
    summary: "Delete my account and erase my personal data",
    description:
      "Needs a recent authentication (step-up). Revokes every session, deletes factors, passkeys and pending links, and pseudonymises the audit trail (docs/audit.md).",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const scope = c.get("scope");
    const auth = c.get("auth");
    requireRecentAuthentication(deps, scope, auth);
    await eraseUser(deps, scope, auth.user.id, auth.actor);
    return c.body(null, 204);
  },
);
