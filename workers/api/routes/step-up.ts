import { createRoute } from "@hono/zod-openapi";
import { stepUpRequestSchema, stepUpResponseSchema } from "@plinto/contracts";
import { type StepUpProof, stepUp } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { authErrors, commonErrors, json, jsonBody, tenantParams, userSecurity } from "./openapi";

/** RFC 9470 step-up: re-authenticate the current session before a sensitive action. */
export const stepUpRoutes = createRouter();

stepUpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/step-up",
    tags: ["Me"],
    summary: "Authenticate again on this session",
    description:
      "With the `password`, a TOTP `code` or a `recovery_code`. Sensitive actions (password change, removing TOTP, new recovery codes) are allowed for `max_age` seconds afterwards.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(stepUpRequestSchema) },
    responses: { 200: json(stepUpResponseSchema, "Session verified now"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const proof: StepUpProof =
      "password" in body
        ? { method: "password", password: body.password }
        : "code" in body
          ? { method: "totp", code: body.code }
          : { method: "recovery_code", code: body.recovery_code };
    const scope = c.get("scope");
    const session = await stepUp(c.get("deps"), scope, c.get("auth"), proof);
    return c.json(
      {
        session_id: session.id,
        verified_at: new Date(session.verifiedAt).toISOString(),
        amr: session.amr,
        max_age: scope.tenant.settings.mfa.step_up_max_age_seconds,
      },
      200,
    );
  },
);
