import { PlintoError } from "@plinto/core";
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";

/** Largest accepted request body. Auth payloads are tiny; this bounds parsing work. */
export const MAX_BODY_BYTES = 64 * 1024;

/**
 * HSTS, nosniff, frame denial and referrer policy on every response; a
 * deny-all CSP unless a route (the docs page) set its own.
 */
export const securityHeaders: MiddlewareHandler[] = [
  secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer", crossOriginResourcePolicy: false }),
  async (c, next) => {
    await next();
    if (!c.res.headers.has("Content-Security-Policy")) {
      c.res.headers.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }
  },
];

export const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: MAX_BODY_BYTES,
  onError: () => {
    throw new PlintoError("payload_too_large", { detail: `at most ${MAX_BODY_BYTES} bytes` });
  },
});

/** A request that carries a body must say it is JSON (415 otherwise); bodiless requests pass. */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const hasBody = c.req.header("Content-Length") !== undefined ? c.req.header("Content-Length") !== "0" : c.req.raw.body !== null;
  if (hasBody && ["POST", "PUT", "PATCH"].includes(c.req.method)) {
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    if (!/^application\/([\w.-]+\+)?json$/.test(mediaType)) throw new PlintoError("unsupported_media_type");
  }
  await next();
};

/** API responses hold personal data and tokens: never cached unless a route says otherwise. */
export const noStoreByDefault: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
