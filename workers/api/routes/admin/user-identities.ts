import { createRoute } from "@hono/zod-openapi";
import { linkedIdentityListSchema } from "@plinto/contracts";
import { adminListUserIdentities, adminUnlinkIdentity } from "@plinto/core";
import { z } from "zod";
import { createRouter } from "../../router";
import { linkedIdentityView } from "../../views/linked-identity-view";
import { adminSecurity, authErrors, commonErrors, conflict, emptyResponse, json, tenantParams } from "../openapi";

/** A user's linked upstream (social) accounts, for admins (docs/social-sign-in.md). */
export const adminUserIdentityRoutes = createRouter();
const tags = ["Admin: users"];
const userParams = tenantParams.extend({ id: z.string().max(64) });
const identityParams = userParams.extend({ identityId: z.string().max(64) });

adminUserIdentityRoutes.openapi(
  createRoute({
    method: "get",
    path: "/users/{id}/identities",
    tags,
    summary: "List a user's linked accounts (Google, GitHub, ...)",
    security: adminSecurity,
    request: { params: userParams },
    responses: { 200: json(linkedIdentityListSchema, "Linked identities, oldest first"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const entries = await adminListUserIdentities(c.get("deps"), c.get("scope"), c.req.valid("param").id);
    return c.json({ data: entries.map(linkedIdentityView) }, 200);
  },
);

adminUserIdentityRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/users/{id}/identities/{identityId}",
    tags,
    summary: "Unlink one of a user's linked accounts",
    description:
      "409 `last_sign_in_method` when it is the user's last way to sign in (no password, no passkey, no other linked identity at an enabled connection). " +
      "Sessions already open stay open (banning the user ends them).",
    security: adminSecurity,
    request: { params: identityParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const { id, identityId } = c.req.valid("param");
    await adminUnlinkIdentity(c.get("deps"), c.get("scope"), id, identityId, c.get("actor"));
    return c.body(null, 204);
  },
);
