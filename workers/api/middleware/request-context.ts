import type { RequestContext } from "@plinto/core";
import type { Context } from "hono";

/** Client IP as Cloudflare reports it, and the user agent (bounded). */
export function requestContext(c: Context): RequestContext {
  return {
    ip: c.req.header("CF-Connecting-IP") ?? null,
    userAgent: c.req.header("User-Agent")?.slice(0, 512) ?? null,
  };
}

/** The public origin: PUBLIC_ORIGIN when configured (custom domain behind a proxy), else the request's. */
export function publicOrigin(c: { env: Env; req: { url: string } }): string {
  return c.env.PUBLIC_ORIGIN || new URL(c.req.url).origin;
}
