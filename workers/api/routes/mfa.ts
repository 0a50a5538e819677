import { createRoute } from "@hono/zod-openapi";
import { mfaSummarySchema, recoveryCodesResponseSchema, totpActivateRequestSchema, totpEnrollmentSchema } from "@plinto/contracts";
import { activateTotp, disableTotp, getMyMfa, mfaRequiredFor, regenerateRecoveryCodes, startTotpEnrollment } from "@plinto/core";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { totpEnrollmentView } from "../views/totp-enrollment";
import { authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams, userSecurity } from "./openapi";

/** The signed-in user's second factors: TOTP enrolment and removal, recovery codes, a summary. */
export const mfaRoutes = createRouter();

const stepUpNote = "Needs a recent authentication: otherwise 403 `step_up_required` with an RFC 9470 challenge; see `POST /me/step-up`.";

mfaRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me/mfa",
    tags: ["MFA"],
    summary: "My second factors",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(mfaSummarySchema, "Which factors are enrolled; counts only"), ...authErrors },
  }),
  async (c) => {
    const auth = c.get("auth");
    const mfa = await getMyMfa(c.get("deps"), c.get("scope"), auth);
    return c.json(
      {
        totp: { status: mfa.totp },
        recovery_codes_remaining: mfa.recoveryCodes,
        passkeys: mfa.passkeys,
        required: mfaRequiredFor(c.get("scope").tenant.settings, auth.user),
      },
      200,
    );
  },
);

mfaRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/mfa/totp",
    tags: ["MFA"],
    summary: "Start TOTP enrolment",
    description: "Returns a new secret, its otpauth:// URI and a QR code (shown once). Activate with a first code.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 201: json(totpEnrollmentSchema, "Pending factor"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const enrollment = await startTotpEnrollment(c.get("deps"), c.get("scope"), c.get("auth").user);
    return c.json(totpEnrollmentView(enrollment), 201);
  },
);

mfaRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/mfa/totp/activate",
    tags: ["MFA"],
    summary: "Activate TOTP with a first code",
    description: "Answers ten recovery codes, shown once.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(totpActivateRequestSchema) },
    responses: { 200: json(recoveryCodesResponseSchema, "Active; the first recovery codes"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const auth = c.get("auth");
    const { recoveryCodes } = await activateTotp(c.get("deps"), c.get("scope"), auth.user, c.req.valid("json").code, auth.actor);
    return c.json({ recovery_codes: recoveryCodes }, 200);
  },
);

mfaRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/me/mfa/totp",
    tags: ["MFA"],
    summary: "Remove my TOTP factor",
    description: `Recovery codes go too unless a passkey remains. ${stepUpNote}`,
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await disableTotp(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.body(null, 204);
  },
);

mfaRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/mfa/recovery-codes",
    tags: ["MFA"],
    summary: "Replace my recovery codes",
    description: `Every earlier code stops working. ${stepUpNote}`,
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(recoveryCodesResponseSchema, "New codes, shown once"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const codes = await regenerateRecoveryCodes(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.json({ recovery_codes: codes }, 200);
  },
);
