import { createRoute } from "@hono/zod-openapi";
import { passkeySchema, registerPasskeyRequestSchema, registrationOptionsSchema, renamePasskeyRequestSchema } from "@plinto/contracts";
import { deleteMyPasskey, finishPasskeyRegistration, listMyPasskeys, renameMyPasskey, startPasskeyRegistration } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { passkeyView } from "../views/passkey-view";
import { passkeySessionRoutes } from "./passkey-sessions";
import { authErrors, commonErrors, conflict, emptyResponse, json, jsonBody, tenantParams, userSecurity } from "./openapi";

/** Passkeys (WebAuthn Level 3): the signed-in user's credentials here, sign-in and second factor in passkey-sessions.ts. */
export const passkeyRoutes = createRouter();
passkeyRoutes.route("/", passkeySessionRoutes);

const passkeyParams = tenantParams.extend({ id: z.string().max(64) });

passkeyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/passkeys/registration/options",
    tags: ["Passkeys"],
    summary: "Start registering a passkey",
    description:
      "PublicKeyCredentialCreationOptionsJSON for `navigator.credentials.create()`: a discoverable credential, attestation `none`, the user's passkeys excluded. The challenge is single-use and expires after 5 minutes.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(registrationOptionsSchema, "Creation options"), ...authErrors, ...conflict },
  }),
  async (c) => {
    const options = await startPasskeyRegistration(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.json(options, 200);
  },
);

passkeyRoutes.openapi(
  createRoute({
    method: "post",
    path: "/me/passkeys",
    tags: ["Passkeys"],
    summary: "Finish registering a passkey",
    description:
      "Send the RegistrationResponseJSON (`credential.toJSON()`). 400 `invalid_challenge` when the challenge is unknown, expired, used or another user's; 400 `webauthn_verification_failed` when origin, RP ID, flags or attestation do not verify; 409 `conflict` when the credential is already registered.",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams, body: jsonBody(registerPasskeyRequestSchema) },
    responses: { 201: json(passkeySchema, "The registered passkey"), ...commonErrors, ...authErrors, ...conflict },
  }),
  async (c) => {
    const passkey = await finishPasskeyRegistration(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("json"));
    return c.json(passkeyView(passkey), 201);
  },
);

passkeyRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me/passkeys",
    tags: ["Passkeys"],
    summary: "List my passkeys",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(passkeySchema) }), "Passkeys, oldest first"), ...authErrors },
  }),
  async (c) => {
    const passkeys = await listMyPasskeys(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.json({ data: passkeys.map(passkeyView) }, 200);
  },
);

passkeyRoutes.openapi(
  createRoute({
    method: "patch",
    path: "/me/passkeys/{id}",
    tags: ["Passkeys"],
    summary: "Rename one of my passkeys",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: passkeyParams, body: jsonBody(renamePasskeyRequestSchema) },
    responses: { 200: json(passkeySchema, "The renamed passkey"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const passkey = await renameMyPasskey(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("param").id, c.req.valid("json").name);
    return c.json(passkeyView(passkey), 200);
  },
);

passkeyRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/me/passkeys/{id}",
    tags: ["Passkeys"],
    summary: "Delete one of my passkeys",
    description:
      "Needs a recent authentication: 403 `step_up_required` otherwise (`POST /me/step-up`, with a passkey via `POST /me/step-up/passkey/options`).",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: passkeyParams },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await deleteMyPasskey(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
