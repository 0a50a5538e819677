import { createRoute } from "@hono/zod-openapi";
import {
  refreshRequestSchema,
  revokedSessionsSchema,
  sessionSchema,
  signInRequestSchema,
  signInResponseSchema,
  tokenResponseSchema,
} from "@plinto/contracts";
import { listMySessions, refreshSession, revokeMySession, revokeMyOtherSessions, signIn } from "@plinto/core";
import { z } from "zod";
import { requireUser } from "../middleware/authenticate";
import { createRouter } from "../router";
import { signInResponse, tokenResponse } from "../views/token-response";
import { sessionView } from "../views/views";
import { authErrors, commonErrors, emptyResponse, json, jsonBody, tenantParams, userSecurity } from "./openapi";

export const sessionRoutes = createRouter();

sessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions",
    tags: ["Auth"],
    summary: "Sign in with email and password",
    description:
      "Rate limited per IP and per account; repeated failures lock the account for a growing delay (429 `account_locked`).",
    request: { params: tenantParams, body: jsonBody(signInRequestSchema) },
    responses: {
      200: json(signInResponseSchema, "Signed in, or `mfa_required` with a challenge for `POST /sessions/mfa`"),
      ...commonErrors,
      ...authErrors,
    },
  }),
  async (c) => {
    const result = await signIn(c.get("deps"), c.get("scope"), c.req.valid("json"));
    return c.json(signInResponse(result), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sessions/refresh",
    tags: ["Auth"],
    summary: "Rotate a refresh token",
    description:
      "Returns a new access token and a new refresh token. Presenting a refresh token that was already used revokes the whole session and answers 401 `refresh_token_reused` (RFC 9700 §4.14.2).",
    request: { params: tenantParams, body: jsonBody(refreshRequestSchema) },
    responses: { 200: json(tokenResponseSchema, "New tokens"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const tokens = await refreshSession(c.get("deps"), c.get("scope"), c.req.valid("json").refresh_token);
    return c.json(tokenResponse(tokens), 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: "get",
    path: "/sessions",
    tags: ["Sessions"],
    summary: "List my active sessions",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(z.object({ data: z.array(sessionSchema) }), "Active sessions, newest first"), ...authErrors },
  }),
  async (c) => {
    const auth = c.get("auth");
    const sessions = await listMySessions(c.get("deps"), c.get("scope"), auth);
    return c.json({ data: sessions.map((session) => sessionView(session, auth.session.id)) }, 200);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/sessions/{id}",
    tags: ["Sessions"],
    summary: "Revoke one of my sessions (the current one signs out)",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams.extend({ id: z.string().max(64) }) },
    responses: { ...emptyResponse, ...commonErrors, ...authErrors },
  }),
  async (c) => {
    await revokeMySession(c.get("deps"), c.get("scope"), c.get("auth"), c.req.valid("param").id);
    return c.body(null, 204);
  },
);

sessionRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/sessions",
    tags: ["Sessions"],
    summary: "Revoke all my sessions except the current one",
    security: userSecurity,
    middleware: [requireUser] as const,
    request: { params: tenantParams },
    responses: { 200: json(revokedSessionsSchema, "Revoked session ids"), ...authErrors },
  }),
  async (c) => {
    const revoked = await revokeMyOtherSessions(c.get("deps"), c.get("scope"), c.get("auth"));
    return c.json({ revoked }, 200);
  },
);
