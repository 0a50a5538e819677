import { oauthErrorSchema, oauthUserInfoResponseSchema } from "@plinto/contracts";
import { PlintoError, userInfo } from "@plinto/core";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { tenantParams } from "../openapi";
import { createOAuthRouter, NO_STORE, readForm } from "./oauth-router";

/** `GET|POST {issuer}/oauth/userinfo` (OIDC Core §5.3), mounted under /oauth. */
export const userInfoRoutes = createOAuthRouter();

/** RFC 6750 §2.1 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * The access token of the request: in the Authorization header (RFC 6750
 * §2.1) or, on POST, the `access_token` form field (§2.2); never in the query
 * (§2.3, it leaks into logs). Using both methods at once is invalid_request
 * (§2); none at all is a 401 without an error code (§3.1).
 */
async function presentedAccessToken(c: Context<AppEnv>): Promise<string> {
  const header = c.req.header("Authorization");
  const fromHeader = header === undefined ? null : (BEARER.exec(header)?.[1] ?? null);
  if (header !== undefined && fromHeader === null && /^bearer(\s|$)/i.test(header)) {
    throw new PlintoError("invalid_token", { detail: "malformed Bearer credentials" });
  }
  const fromBody = c.req.method === "POST" ? (await readForm(c)).access_token : undefined;
  if (fromHeader !== null && fromBody !== undefined) {
    throw new PlintoError("invalid_request", { detail: "send the access token in one way only (RFC 6750 §2)" });
  }
  const token = fromHeader ?? fromBody;
  if (token === undefined) throw new PlintoError("unauthorized", { detail: "an access token is required" });
  return token;
}

async function answer(c: Context<AppEnv>) {
  const claims = await userInfo(c.get("deps"), c.get("scope"), await presentedAccessToken(c));
  return c.json(claims, 200, NO_STORE);
}

/** RFC 6750 §3: a malformed request to the protected resource also names the Bearer scheme and `invalid_request`. */
userInfoRoutes.use("/userinfo", async (c, next) => {
  await next();
  if (c.res.status === 400 && !c.res.headers.has("WWW-Authenticate")) {
    c.res.headers.set("WWW-Authenticate", 'Bearer realm="plinto", error="invalid_request"');
  }
});

userInfoRoutes.get("/userinfo", answer);
userInfoRoutes.post("/userinfo", answer);

for (const method of ["get", "post"] as const) {
  userInfoRoutes.openAPIRegistry.registerPath({
    method,
    path: "/userinfo",
    tags: ["OAuth"],
    summary: "UserInfo (OIDC Core §5.3)",
    description:
      "Claims about the user of an OAuth access token with scope openid: `sub`, plus profile and email claims by granted scope. " +
      "The token goes in the Authorization header (or, on POST, an `access_token` form field). Errors follow RFC 6750 §3 with WWW-Authenticate.",
    request: { params: tenantParams },
    security: [{ bearerAuth: [] }],
    responses: {
      200: { description: "The user's claims", content: { "application/json": { schema: oauthUserInfoResponseSchema } } },
      401: { description: "invalid_token (RFC 6750 §3.1)", content: { "application/json": { schema: oauthErrorSchema } } },
      403: { description: "insufficient_scope: the token lacks openid", content: { "application/json": { schema: oauthErrorSchema } } },
    },
  });
}
