import { createRoute } from "@hono/zod-openapi";
import {
  authenticationOptionsSchema,
  passkeyMfaOptionsRequestSchema,
  passkeyMfaRequestSchema,
  passkeySignInRequestSchema,
  signInResponseSchema,
  tokenResponseSchema,
} from "@plinto/contracts";
import { completePasskeyMfa, enforceRateLimit, signInWithPasskey, startPasskeyAuthentication, startPasskeyMfa } from "@plinto/core";
import { createRouter } from "../router";
import { signInResponse, tokenResponse } from "../views/token-response";
import { authErrors, commonErrors, json, jsonBody, tenantParams } from "./openapi";

/** Passkeys as a first factor (usernameless) and as a second factor (WebAuthn Level 3 §7.2). */
export const passkeySessionRoutes = createRouter();

passkeySessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/passkeys/authentication/options",
    tags: ["Auth"],
    summary: "Start a passkey sign-in",
    description:
      "PublicKeyCredentialRequestOptionsJSON for `navigator.credentials.get()` with an empty allowCredentials (usernameless: the authenticator offers its discoverable credentials). Single-use challenge, 5 minutes. Counts toward the sign-in rate limit per IP.",
    request: { params: tenantParams },
    responses: { 200: json(authenticationOptionsSchema, "Request options"), ...commonErrors },
  }),
  async (c) => {
    const deps = c.get("deps");
    const scope = c.get("scope");
    await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
      limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_ip,
      windowSeconds: 60,
    });
    return c.json(await startPasskeyAuthentication(deps, scope, { kind: "sign_in" }), 200);
  },
);

passkeySessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/passkey",
    tags: ["Auth"],
    summary: "Sign in with a passkey",
    description:
      "Send the AuthenticationResponseJSON (`credential.toJSON()`). With user verification the session's amr is [\"hwk\", \"user\"] and no second factor follows; without it, a user with MFA gets `mfa_required`. 400 `invalid_challenge` (unknown, expired or used challenge) or `webauthn_verification_failed` (unknown passkey, wrong origin or RP ID, bad signature, counter regression).",
    request: { params: tenantParams, body: jsonBody(passkeySignInRequestSchema) },
    responses: { 200: json(signInResponseSchema, "Signed in, or `mfa_required`"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const result = await signInWithPasskey(c.get("deps"), c.get("scope"), c.req.valid("json").response);
    return c.json(signInResponse(result), 200);
  },
);

passkeySessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/mfa/passkey/options",
    tags: ["Auth"],
    summary: "Start answering an MFA challenge with a passkey",
    description:
      "Request options whose allowCredentials are the challenge user's passkeys. Counts as one attempt against the mfa_token.",
    request: { params: tenantParams, body: jsonBody(passkeyMfaOptionsRequestSchema) },
    responses: { 200: json(authenticationOptionsSchema, "Request options"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const options = await startPasskeyMfa(c.get("deps"), c.get("scope"), c.req.valid("json").mfa_token);
    return c.json(options, 200);
  },
);

passkeySessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/mfa/passkey",
    tags: ["Auth"],
    summary: "Answer an MFA challenge with a passkey",
    description: "The assertion must come from one of the challenge user's passkeys; the session's amr gains \"hwk\" and \"mfa\".",
    request: { params: tenantParams, body: jsonBody(passkeyMfaRequestSchema) },
    responses: { 200: json(tokenResponseSchema, "Signed in"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const body = c.req.valid("json");
    const result = await completePasskeyMfa(c.get("deps"), c.get("scope"), body.mfa_token, body.response);
    return c.json(tokenResponse(result.tokens, result.user), 200);
  },
);
