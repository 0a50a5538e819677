import { bearerErrorResponse, createVerifier, EdgeAuthError, readBearerToken, type Verifier } from "@plinto/edge";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { EdgeVerifyBindings } from "./bindings";
import { revocationSource, type SourceCounter } from "./revocation-source";

interface Isolate {
  verifier: Verifier;
  counter: SourceCounter;
}

/** One verifier per isolate (its key sets, revocation snapshot and token cache live in it), per bindings object. */
const isolates = new WeakMap<EdgeVerifyBindings, Isolate>();

function isolateFor(env: EdgeVerifyBindings, now: () => number): Isolate {
  let isolate = isolates.get(env);
  if (!isolate) {
    const counter: SourceCounter = { durableObjectCalls: 0, apiCalls: 0 };
    const verifier = createVerifier({
      origin: env.PLINTO_ORIGIN,
      now,
      fetch: (url, init) => env.API.fetch(url, init),
      ...(env.JWKS_CACHE ? { kv: env.JWKS_CACHE } : {}),
      revocation: { source: revocationSource(env, counter, now), cache: caches.default },
    });
    isolate = { verifier, counter };
    isolates.set(env, isolate);
  }
  return isolate;
}

/**
 * The token from `Authorization: Bearer` (RFC 6750 §2.1), a form body's
 * `access_token` (§2.2), or a JSON body `{ "token": ... }`.
 */
async function presentedToken(request: Request): Promise<string> {
  const authorization = request.headers.get("Authorization");
  if (authorization) return readBearerToken(authorization);
  const mediaType = (request.headers.get("Content-Type") ?? "").split(";")[0]?.trim().toLowerCase();
  let token: unknown;
  if (mediaType === "application/x-www-form-urlencoded") {
    token = new URLSearchParams(await request.text()).get("access_token");
  } else if (mediaType === "application/json") {
    const body: unknown = await request.json().catch(() => null);
    token = typeof body === "object" && body !== null ? (body as { token?: unknown }).token : undefined;
  }
  if (typeof token === "string" && token !== "") return token;
  throw new EdgeAuthError("token_missing", { detail: "no access token in the Authorization header or the body" });
}

/**
 * Security headers of every response (what hono's secureHeaders sets, with
 * frame denial and no referrer), built once: the `/verify` fast path skips
 * the router and copies them straight in.
 */
const SECURITY_HEADERS: readonly (readonly [string, string])[] = [
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "no-referrer"],
  ["Cross-Origin-Opener-Policy", "same-origin"],
  ["Cross-Origin-Resource-Policy", "same-origin"],
  ["Origin-Agent-Cluster", "?1"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

function withSecurityHeaders(response: Response): Response {
  for (const [name, value] of SECURITY_HEADERS) response.headers.set(name, value);
  return response;
}

/** `POST /verify` itself: the claims, or the RFC 6750 §3 error. */
async function verify(request: Request, env: EdgeVerifyBindings, now: () => number): Promise<Response> {
  try {
    const verified = await isolateFor(env, now).verifier.verifyAccessToken(await presentedToken(request));
    const body = JSON.stringify({ active: true, tenant: verified.tenant, scopes: verified.scopes, claims: verified.claims });
    return withSecurityHeaders(new Response(body, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } }));
  } catch (error) {
    if (error instanceof EdgeAuthError) return withSecurityHeaders(bearerErrorResponse(error, { realm: "plinto" }));
    throw error;
  }
}

/** A token is at most 8 KiB (the verifier refuses longer ones); a body carrying one needs little more. */
const MAX_VERIFY_BODY_BYTES = 16 * 1024;

export interface EdgeVerifyOptions {
  /** Injected clock for tests; the system clock otherwise. */
  now?: () => number;
}

export function buildEdgeVerifyApp(options: EdgeVerifyOptions = {}) {
  const now = options.now ?? Date.now;
  const app = new Hono<{ Bindings: EdgeVerifyBindings }>();
  app.use("*", async (c, next) => {
    await next();
    c.res = withSecurityHeaders(new Response(c.res.body, c.res));
  });

  app.get("/health", (c) => c.json({ status: "ok" }));

  /** Verifies an access token: 200 with its claims, or the RFC 6750 §3 error. Bodies are bounded before they are read. */
  const limitBody = bodyLimit({
    maxSize: MAX_VERIFY_BODY_BYTES,
    onError: (c) => c.json({ error: "invalid_request", error_description: "body too large" }, 413),
  });
  app.post("/verify", limitBody, (c) => verify(c.req.raw, c.env, now));

  /** The tenant's JWKS through this location's cache (the api worker sets its lifetime). */
  app.get("/t/:tenant/.well-known/jwks.json", async (c) => {
    const url = `${c.env.PLINTO_ORIGIN}/t/${encodeURIComponent(c.req.param("tenant"))}/.well-known/jwks.json`;
    const cache = caches.default;
    const cached = await cache.match(url);
    if (cached) return new Response(cached.body, cached);
    const upstream = await c.env.API.fetch(url);
    const response = new Response(upstream.body, upstream);
    if (response.ok) c.executionCtx.waitUntil(cache.put(url, response.clone()));
    return response;
  });

  /** Counters for operators and benchmarks: how often verification went past memory. */
  app.get("/stats", (c) => {
    const { verifier, counter } = isolateFor(c.env, now);
    return c.json({ verifier: verifier.stats(), sources: counter });
  });

  app.notFound((c) => c.json({ error: "not_found" }, 404));
  app.onError((error, c) => {
    console.error(JSON.stringify({ level: "error", error: error.name, message: error.message }));
    return c.json({ error: "server_error" }, 500);
  });
  return {
    /**
     * The hot path, a bearer token in the header (no body to read or bound),
     * skips the router: Hono's per-request work cost about half of a
     * hello-world round trip in the edge benchmark. Everything else goes through Hono.
     */
    fetch(request: Request, env: EdgeVerifyBindings, ctx: ExecutionContext): Response | Promise<Response> {
      if (request.method === "POST" && request.headers.has("Authorization") && new URL(request.url).pathname === "/verify") {
        return verify(request, env, now);
      }
      return app.fetch(request, env, ctx);
    },
  };
}
