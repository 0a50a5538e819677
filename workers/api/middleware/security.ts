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

/**
 * The one route with its own body rules: the operator's tenant import takes an
 * NDJSON export (routes/tenant-transfer.ts), held whole in memory to write it
 * all or nothing, so its limit stays well inside a Worker's 128 MB.
 */
export const TENANT_IMPORT_PATH = "/api/v1/operator/tenants/import";
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;
export const NDJSON = "application/x-ndjson";

const limitTo = (maxSize: number): MiddlewareHandler =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new PlintoError("payload_too_large", { detail: `at most ${maxSize} bytes` });
    },
  });
const defaultLimit = limitTo(MAX_BODY_BYTES);
const importLimit = limitTo(MAX_IMPORT_BYTES);

export const limitBody: MiddlewareHandler = (c, next) =>
  (c.req.path === TENANT_IMPORT_PATH ? importLimit : defaultLimit)(c, next);

/**
 * Routes browsers and OAuth clients post HTML forms to: the OAuth endpoints
 * (RFC 6749 §3.2 requires application/x-www-form-urlencoded at the token
 * endpoint) and the hosted login pages. They take form bodies as well as JSON.
 */
const FORM_ROUTES = /^\/t\/[^/]+\/(oauth|login|device|logout|connections)(\/|$)/;
const FORM = "application/x-www-form-urlencoded";

/**
 * A request that carries a body must say it is JSON (the tenant import: NDJSON;
 * OAuth and hosted-login routes: also a urlencoded form), 415 otherwise; bodiless requests pass.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  const hasBody = c.req.header("Content-Length") !== undefined ? c.req.header("Content-Length") !== "0" : c.req.raw.body !== null;
  if (hasBody && ["POST", "PUT", "PATCH"].includes(c.req.method)) {
    const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase() ?? "";
    const accepted =
      c.req.path === TENANT_IMPORT_PATH
        ? mediaType === NDJSON
        : /^application\/([\w.-]+\+)?json$/.test(mediaType) || (mediaType === FORM && FORM_ROUTES.test(c.req.path));
    if (!accepted) throw new PlintoError("unsupported_media_type");
  }
  await next();
};

/** API responses hold personal data and tokens: never cached unless a route says otherwise. */
export const noStoreByDefault: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
