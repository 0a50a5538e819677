import { createRoute } from "@hono/zod-openapi";
import { authenticationOptionsSchema, type StepUpRequest, stepUpRequestSchema, stepUpResponseSchema } from "@plinto/contracts";
import { type StepUpProof, startPasskeyStepUp, stepUp } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { authErrors, commonErrors, json, jsonBody, tenantParams, userSecurity } from "./openapi";

/** RFC 9470 step-up: re-authenticate the current session before a sensitive action. */
export const stepUpRoutes = createRouter();

/** The one proof a validated body holds (the schema admits exactly one). */
const proofOf = (body: StepUpRequest): StepUpProof => {
  if ("password" in body) return { method: "password", password: body.password };
  if ("code" in body) return { method: "totp", code: body.code };
  if ("recovery_code" in body) return { method: "recovery_code", code: body.recovery_code };
  return { method: "passkey", response: body.passkey };
};

stepUpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/step-up/passkey/options",
    tags: ["Me"],
    summary: "Start authenticating again with a passkey",
    description:
      "PublicKeyCredentialRequestOptionsJSON for `navigator.credentials.get()` whose allowCredentials are the user's passkeys; send the result as `{passkey}` to `POST /me/step-up`. The single-use challenge (5 minutes) is bound to this user and this session: it does not verify a sign-in, an MFA challenge or another session. Counts toward the user's step-up rate limit; 404 `not_found` when the user has no passkey.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(authenticationOptionsSchema, "Request options"), ...commonErrors, ...authErrors },
  }),
  async (c) => c.json(await startPasskeyStepUp(c.get("deps"), c.get("scope"), c.get("auth")), 200),
);

stepUpRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/step-up",
    tags: ["Me"],
    summary: "Authenticate again on this session",
    description:
      "Exactly one proof: the `password`, a TOTP `code`, a `recovery_code`, or a `passkey` assertion (options from `POST /me/step-up/passkey/options`; amr gains \"hwk\", and \"user\" with user verification). Sensitive actions (password change, removing TOTP or a passkey, new recovery codes) are allowed for `max_age` seconds afterwards. A wrong proof is 401 `invalid_credentials` / `invalid_code` or 400 `invalid_challenge` / `webauthn_verification_failed`, is audited as `session.step_up_failed`, and leaves the session as it was.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(stepUpRequestSchema) },
    responses: { 200: json(stepUpResponseSchema, "Session verified now"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const scope = c.get("scope");
    const session = await stepUp(c.get("deps"), scope, c.get("auth"), proofOf(c.req.valid("json")));
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
