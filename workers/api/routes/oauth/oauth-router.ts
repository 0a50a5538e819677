import type { OpenAPIHono } from "@hono/zod-openapi";
import { PlintoError } from "@plinto/core";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { createRouter } from "../../router";

/**
 * A sub-app for OAuth endpoints: every error it raises is rendered as an
 * RFC 6749 §5.2 `{error, error_description}` body with `Cache-Control:
 * no-store` and `Pragma: no-cache` (errors/problem.ts reads the flag).
 * Mount it under its own base path (`tenant.route("/oauth", router)`): Hono
 * applies a sub-app's `*` middleware to everything under the mount point.
 */
export function createOAuthRouter(): OpenAPIHono<AppEnv> {
  const router = createRouter();
  router.use("*", async (c, next) => {
    c.set("oauthEndpoint", true);
    await next();
  });
  return router;
}

/** Headers of every OAuth response that carries tokens, credentials or token facts (RFC 6749 §5.1, RFC 7662 §2.2, RFC 7591 §3.2.1). */
export const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" } as const;

/** RFC 8707 §2: `resource` may be repeated; resource indicators are absolute URIs, so a space joins them losslessly. */
const REPEATABLE = new Set(["resource"]);
const FORM = "application/x-www-form-urlencoded";
const decoder = new TextDecoder();

/**
 * The request's form parameters (RFC 6749 §3.2: `application/x-www-form-urlencoded`).
 * Parameters sent without a value count as omitted, and a parameter may not
 * appear twice (RFC 6749 §3.1) -> `invalid_request`. Repeated `resource`
 * values are joined with a space: split them with `formResources`.
 */
export async function readForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const mediaType = c.req.header("Content-Type")?.split(";")[0]?.trim().toLowerCase();
  // Read as bytes: the form is ASCII (percent-encoded), and workerd warns when form bodies are read as text.
  const body = decoder.decode(await c.req.arrayBuffer());
  if (mediaType !== FORM) {
    if (mediaType === undefined && body === "") return {};
    throw new PlintoError("invalid_request", { detail: `the body must be ${FORM}` });
  }
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(body)) {
    if (value === "") continue;
    const seen = form.get(name);
    if (seen === undefined) form.set(name, value);
    else if (REPEATABLE.has(name)) form.set(name, `${seen} ${value}`);
    else throw new PlintoError("invalid_request", { detail: `parameter ${name.slice(0, 64)} appears more than once` });
  }
  return Object.fromEntries(form);
}

/** The `resource` indicators of a form read by readForm (RFC 8707 §2), in order. */
export const formResources = (form: Record<string, string>): string[] =>
  form.resource === undefined ? [] : form.resource.split(" ");
