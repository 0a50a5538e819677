import { createRoute } from "@hono/zod-openapi";
import { mfaSignInResponseSchema, mfaTokenRequestSchema, mfaVerifyRequestSchema, totpEnrollmentSchema } from "@plinto/contracts";
import { completeSignInWithSecondFactor, startEnrollmentWithChallenge } from "@plinto/core";
import { createRouter } from "../router";
import { tokenResponse } from "../views/token-response";
import { totpEnrollmentView } from "../views/totp-enrollment";
import { authErrors, commonErrors, conflict, json, jsonBody, tenantParams } from "./openapi";

/** The second step of a sign-in that answered `mfa_required`. */
export const mfaChallengeRoutes = createRouter();

mfaChallengeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/mfa",
    tags: ["Auth"],
    summary: "Answer an MFA challenge",
    description:
      "With a TOTP `code` or a `recovery_code`. Wrong answers are 401 `invalid_code`; after `code_attempts` of them the challenge is void (429 `too_many_attempts`). " +
      "The challenge is single use and lives 5 minutes. When it required enrolment, the code activates the TOTP factor started with `POST /sessions/mfa/totp-enrollment` and the first recovery codes come back.",
    request: { params: tenantParams, body: jsonBody(mfaVerifyRequestSchema) },
    responses: { 200: json(mfaSignInResponseSchema, "Signed in"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const answer = "code" in body ? { code: body.code } : { recoveryCode: body.recovery_code };
    const result = await completeSignInWithSecondFactor(c.get("deps"), c.get("scope"), body.mfa_token, answer);
    return c.json({ ...tokenResponse(result.tokens, result.user), ...(result.recoveryCodes ? { recovery_codes: result.recoveryCodes } : {}) }, 200);
  },
);

mfaChallengeRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/mfa/totp-enrollment",
    tags: ["Auth"],
    summary: "Enrol TOTP during sign-in",
    description:
      "For a challenge with `enrollment_required` (the tenant requires MFA, the user has none). Counts as one attempt against the challenge, which stays open for `POST /sessions/mfa`.",
    request: { params: tenantParams, body: jsonBody(mfaTokenRequestSchema) },
    responses: { 201: json(totpEnrollmentSchema, "Pending factor"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const enrollment = await startEnrollmentWithChallenge(c.get("deps"), c.get("scope"), c.req.valid("json").mfa_token);
    return c.json(totpEnrollmentView(enrollment), 201);
  },
);
