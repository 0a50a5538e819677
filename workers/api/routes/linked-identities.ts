import { createRoute } from "@hono/zod-openapi";
import { linkedIdentityListSchema } from "@plinto/contracts";
import { listMyIdentities, unlinkMyIdentity } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { linkedIdentityView } from "../views/linked-identity-view";
import { authErrors, commonErrors, conflict, emptyResponse, json, tenantParams, userSecurity } from "./openapi";

/** The signed-in user's linked upstream (social) accounts: list and unlink (docs/social-sign-in.md). */
export const linkedIdentityRoutes = createRouter();
const identityParams = tenantParams.extend({ id: z.string().max(64) });

linkedIdentityRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me/identities",
    tags: ["Me"],
    summary: "List my linked accounts (Google, GitHub, ...)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(linkedIdentityListSchema, "Linked identities, oldest first"), ...authErrors },
  }),
  async (c) => {
    const entries = await listMyIdentities(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.json({ data: entries.map(linkedIdentityView) }, 200);
  },
);

linkedIdentityRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/me/identities/{id}",
    tags: ["Me"],
    summary: "Unlink one of my linked accounts",
    description:
      "Needs a recent authentication: 403 `step_up_required` otherwise (`POST /me/step-up`). 409 `last_sign_in_method` when it is the " +
      "account's last way to sign in (no password, no passkey, no other linked identity at an enabled connection).",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: identityParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    await unlinkMyIdentity(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
