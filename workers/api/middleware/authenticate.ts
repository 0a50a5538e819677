import { authenticateAccessToken, authenticateApiKey, PlintoError, SECRET_KEY_PREFIX } from "@plinto/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";

/** RFC 6750 §2.1 bearer credentials; the scheme name is case-insensitive (RFC 9110 §11.1). */
export function bearerToken(c: Context): string {
  const header = c.req.header("Authorization");
  const match = header ? /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim()) : null;
  if (!header) throw new PlintoError("unauthorized");
  if (!match?.[1]) throw new PlintoError("invalid_token", { detail: "malformed Authorization header" });
  return match[1];
}

/** A signed-in user of this tenant, with an active session. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const auth = await authenticateAccessToken(c.get("deps"), c.get("scope"), bearerToken(c));
  c.set("auth", auth);
  c.set("actor", auth.actor);
  await next();
};

/** Management API: a tenant secret key `sk_...`, or the access token of a user whose role is admin. */
export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = bearerToken(c);
  const deps = c.get("deps");
  const scope = c.get("scope");
  if (token.startsWith(SECRET_KEY_PREFIX)) {
    const key = await authenticateApiKey(deps, scope.tenant.id, token);
    c.set("actor", { type: "api_key", keyId: key.id });
  } else {
    const auth = await authenticateAccessToken(deps, scope, token);
    if (auth.user.role !== "admin") throw new PlintoError("forbidden", { detail: "admin role required" });
    c.set("auth", auth);
    c.set("actor", auth.actor);
  }
  await next();
};
