/**
 * Bench-only entry of the edge-verify worker, bundled with
 * workers/edge-verify/wrangler.toml (its bindings: the api worker as `API`,
 * its `RevocationList` Durable Object, the `JWKS_CACHE` KV mirror). Every
 * request without a bench header or path goes to the edge-verify app exactly
 * as workers/edge-verify/index.ts serves it. Added, all in the same isolate:
 *
 * - GET  /__bench/hello          hello world: the ceiling for any route.
 * - POST /__bench/jose-verify    bare `jose.jwtVerify` of the bearer token with
 *   a cached CryptoKey (by kid; imported once from the KV mirror): the
 *   "bare jose route" a first-seen verification is compared with.
 * - POST /__bench/bare-verify     the verifier as edge-verify configures it
 *   (revocation on), without Hono or its middleware: read the bearer token,
 *   `verifyAccessToken`, the same JSON body; between /__bench/hello and a
 *   /verify it splits verification from the framework.
 * - header `x-bench-variant: on|off`: the same request goes to a copy of
 *   edge-verify's `POST /verify` (and `GET /stats`) whose verifier has
 *   revocation checking on (as edge-verify) or off; the app has no switch for
 *   it, so the pair measures what revocation costs.
 * - header `x-bench-epoch: {n}`: the request gets a shallow copy of `env` made
 *   for epoch n. edge-verify keeps one verifier per `env` object, so a new
 *   epoch is a new verifier (empty token cache, JWKS and revocation snapshot
 *   loaded on its first request), like a new isolate. The load generator
 *   moves to a new epoch each time it wraps around its pool of distinct
 *   tokens, so every verification is of a token its verifier has never seen.
 * - GET  /__bench/epoch-stats?variant=app|on|off   the verifier stats and
 *   source counters summed over every epoch's verifier since the last
 *   POST /__bench/epoch-reset.
 * - /__bench/pool, /__bench/verify-loop: the in-workerd micro-benchmark (verify-loop.ts).
 */
import { bearerErrorResponse, createVerifier, EdgeAuthError, readBearerToken, type Verifier } from "@plinto/edge";
import { Hono } from "hono";
import { secureHeaders } from "hono/secure-headers";
import { type JWTHeaderParameters, jwtVerify } from "jose";
import { buildEdgeVerifyApp } from "../../workers/edge-verify/app";
import type { EdgeVerifyBindings } from "../../workers/edge-verify/bindings";
import { revocationSource, type SourceCounter } from "../../workers/edge-verify/revocation-source";
import { keyOf, verifyLoopRoute } from "./verify-loop";

type Handler = { fetch(request: Request, env: EdgeVerifyBindings, ctx: ExecutionContext): Response | Promise<Response> };

// workers/edge-verify/index.ts, unchanged (it is not imported itself: its
// handler type names the wrangler-generated EdgeVerifyEnv).
const edgeVerify = buildEdgeVerifyApp();
const app: Handler = { fetch: (request, env, ctx) => edgeVerify.fetch(request, env, ctx) };

/**
 * A copy of edge-verify's `POST /verify` and `GET /stats` (app.ts) with the
 * verifier's revocation checking on or off; same middleware, same response.
 * Only the Authorization header is read (the bench sends nothing else).
 */
function verifyApp(revocation: boolean): Handler {
  const isolates = new WeakMap<EdgeVerifyBindings, { verifier: Verifier; counter: SourceCounter }>();
  const isolateFor = (env: EdgeVerifyBindings) => {
    let isolate = isolates.get(env);
    if (!isolate) {
      const counter: SourceCounter = { durableObjectCalls: 0, apiCalls: 0 };
      const verifier = createVerifier({
        origin: env.PLINTO_ORIGIN,
        now: Date.now,
        fetch: (url, init) => env.API.fetch(url, init),
        ...(env.JWKS_CACHE ? { kv: env.JWKS_CACHE } : {}),
        ...(revocation ? { revocation: { source: revocationSource(env, counter, Date.now), cache: caches.default } } : {}),
      });
      isolate = { verifier, counter };
      isolates.set(env, isolate);
    }
    return isolate;
  };
  const hono = new Hono<{ Bindings: EdgeVerifyBindings }>();
  hono.use("*", secureHeaders({ xFrameOptions: "DENY", referrerPolicy: "no-referrer" }));
  hono.post("/verify", async (c) => {
    try {
      const token = readBearerToken(c.req.header("Authorization"));
      const verified = await isolateFor(c.env).verifier.verifyAccessToken(token);
      c.header("Cache-Control", "no-store");
      return c.json({ active: true, tenant: verified.tenant, scopes: verified.scopes, claims: verified.claims });
    } catch (error) {
      if (error instanceof EdgeAuthError) return bearerErrorResponse(error, { realm: "plinto" });
      throw error;
    }
  });
  hono.get("/stats", (c) => {
    const { verifier, counter } = isolateFor(c.env);
    return c.json({ verifier: verifier.stats(), sources: counter });
  });
  return { fetch: (request, env, ctx) => hono.fetch(request, env, ctx) };
}

const variants: Record<string, Handler> = { on: verifyApp(true), off: verifyApp(false) };

/** The verifier of /__bench/bare-verify: edge-verify's configuration, one per env (isolate). */
const bareVerifiers = new WeakMap<EdgeVerifyBindings, Verifier>();

async function bareVerify(request: Request, env: EdgeVerifyBindings): Promise<Response> {
  let verifier = bareVerifiers.get(env);
  if (!verifier) {
    const counter: SourceCounter = { durableObjectCalls: 0, apiCalls: 0 };
    verifier = createVerifier({
      origin: env.PLINTO_ORIGIN,
      now: Date.now,
      fetch: (url, init) => env.API.fetch(url, init),
      ...(env.JWKS_CACHE ? { kv: env.JWKS_CACHE } : {}),
      revocation: { source: revocationSource(env, counter, Date.now), cache: caches.default },
    });
    bareVerifiers.set(env, verifier);
  }
  try {
    const verified = await verifier.verifyAccessToken(readBearerToken(request.headers.get("Authorization")));
    return Response.json({ active: true, tenant: verified.tenant, scopes: verified.scopes, claims: verified.claims });
  } catch (error) {
    if (error instanceof EdgeAuthError) return bearerErrorResponse(error, { realm: "plinto" });
    throw error;
  }
}

/** Per handler: the env copy of each epoch seen since the last reset (kept, so their stats can be summed). */
const epochs = new Map<string, Map<string, EdgeVerifyBindings>>();

function envForEpoch(handler: string, epoch: string, env: EdgeVerifyBindings): EdgeVerifyBindings {
  let byEpoch = epochs.get(handler);
  if (!byEpoch) epochs.set(handler, (byEpoch = new Map()));
  let copy = byEpoch.get(epoch);
  if (!copy) byEpoch.set(epoch, (copy = { ...env }));
  return copy;
}

type Stats = { verifier: Record<string, number>; sources: Record<string, number> };

async function epochStats(handlerName: string, env: EdgeVerifyBindings, ctx: ExecutionContext): Promise<Response> {
  const handler = handlerName === "app" ? app : variants[handlerName];
  if (!handler) return Response.json({ error: `no handler ${handlerName}` }, { status: 404 });
  const sum: Stats = { verifier: {}, sources: {} };
  const copies = [...(epochs.get(handlerName)?.values() ?? [])];
  for (const copy of copies) {
    const stats = (await (await handler.fetch(new Request("http://bench/stats"), copy, ctx)).json()) as Stats;
    for (const part of ["verifier", "sources"] as const) {
      for (const [k, v] of Object.entries(stats[part])) sum[part][k] = (sum[part][k] ?? 0) + v;
    }
  }
  return Response.json({ epochs: copies.length, ...sum });
}

/** Bare jose: the CryptoKey of each kid imported once per isolate. */
const joseKeys = new Map<string, CryptoKey | Promise<CryptoKey>>();

async function joseVerify(request: Request, env: EdgeVerifyBindings): Promise<Response> {
  const token = (request.headers.get("Authorization") ?? "").slice("Bearer ".length);
  try {
    const { payload } = await jwtVerify(token, (header: JWTHeaderParameters) => {
      let key = joseKeys.get(header.kid ?? "");
      if (!key) {
        key = keyOf(env, token);
        joseKeys.set(header.kid ?? "", key);
      }
      return key;
    });
    return Response.json({ active: true, claims: payload });
  } catch (error) {
    return Response.json({ active: false, error: String((error as Error).message) }, { status: 401 });
  }
}

export default {
  fetch(request, env, ctx) {
    const variant = request.headers.get("x-bench-variant");
    const epoch = request.headers.get("x-bench-epoch");
    const handlerName = variant ?? "app";
    const handler = variant ? variants[variant] : app;
    if (handler && !request.url.includes("/__bench/")) {
      return handler.fetch(request, epoch ? envForEpoch(handlerName, epoch, env) : env, ctx);
    }
    const { pathname, searchParams } = new URL(request.url);
    if (pathname === "/__bench/hello") return new Response("Hello World!");
    if (pathname === "/__bench/jose-verify" && request.method === "POST") return joseVerify(request, env);
    if (pathname === "/__bench/bare-verify" && request.method === "POST") {
      return bareVerify(request, epoch ? envForEpoch("bare", epoch, env) : env);
    }
    if (pathname === "/__bench/epoch-stats") return epochStats(searchParams.get("variant") ?? "app", env, ctx);
    if (pathname === "/__bench/epoch-reset" && request.method === "POST") {
      epochs.clear();
      return Response.json({ ok: true });
    }
    if (pathname === "/__bench/pool" || pathname === "/__bench/verify-loop") return verifyLoopRoute(request, env, pathname);
    return Response.json({ error: "not_found" }, { status: 404 });
  },
} satisfies ExportedHandler<EdgeVerifyBindings>;
