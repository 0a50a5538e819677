import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../workers/api/app";
import { call, createTenant, expectProblem, freshIp, json, ORIGIN, signIn, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { expectSecurityHeaders, postIdentity, uniqueEmail } from "./identity-helpers";

const APP_ORIGIN = "https://app.example.com";
const OTHER_ORIGIN = "https://evil.example.net";

describe("security headers", () => {
  it("are on success responses", async () => {
    const tenant = await createTenant();
    const signUp = await postIdentity(tenant, { email: uniqueEmail(), password: STRONG_PASSWORD });
    expect(signUp.status).toBe(201);
    expectSecurityHeaders(signUp);
    for (const path of ["/health", "/ready", "/api/status", "/api/v1/openapi.json", "/api/v1/docs", `/t/${tenant.slug}/.well-known/jwks.json`]) {
      const response = await call(path);
      expect(response.status, path).toBe(200);
      expectSecurityHeaders(response);
    }
  });

  it("are on error responses of every kind", async () => {
    const tenant = await createTenant();
    const responses: [string, Response][] = [
      ["unknown route", await call("/no/such/route")],
      ["unknown tenant", await call("/t/no-such-tenant-hyg/api/v1/me")],
      ["no token", await call(`${tenant.base}/me`)],
      ["bad token", await call(`${tenant.base}/me`, { token: "garbage" })],
      ["validation", await postIdentity(tenant, {})],
      ["bad json", await call(`${tenant.base}/identities`, { rawBody: "{", headers: { "Content-Type": "application/json" }, ip: freshIp() })],
      ["media type", await call(`${tenant.base}/identities`, { rawBody: "x", headers: { "Content-Type": "text/plain" }, ip: freshIp() })],
      ["too large", await call(`${tenant.base}/identities`, { rawBody: "x".repeat(70_000), headers: { "Content-Type": "application/json" } })],
      ["weak password", await postIdentity(tenant, { email: uniqueEmail(), password: "short" })],
    ];
    for (const [label, response] of responses) {
      expect(response.status, label).toBeGreaterThanOrEqual(400);
      expect(response.headers.get("Content-Type"), label).toContain("application/problem+json");
      expectSecurityHeaders(response);
    }
  });

  it("the docs page keeps frame-ancestors 'none' in its own CSP", async () => {
    const response = await call("/api/v1/docs");
    const csp = response.headers.get("Content-Security-Policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'none'");
  });
});

describe("Cache-Control", () => {
  it("is no-store on every token response", async () => {
    const tenant = await createTenant();
    const email = uniqueEmail();
    const signUp = await postIdentity(tenant, { email, password: STRONG_PASSWORD });
    expect(signUp.status).toBe(201);
    expect(signUp.headers.get("Cache-Control")).toBe("no-store");

    const signedIn = await signIn(tenant, email);
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers.get("Cache-Control")).toBe("no-store");

    const { refresh_token } = await json<TokenBody>(signedIn);
    const refreshed = await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get("Cache-Control")).toBe("no-store");
  });

  it("is no-store on problem responses, inside and outside a tenant", async () => {
    const tenant = await createTenant();
    const responses = [
      await call("/no/such/route"),
      await call("/t/no-such-tenant-hyg/api/v1/identities", { body: {}, ip: freshIp() }),
      await call(`${tenant.base}/me`),
      await postIdentity(tenant, { email: "nope" }),
      await call(`${tenant.base}/identities`, { rawBody: "x".repeat(70_000), headers: { "Content-Type": "application/json" } }),
      await call("/api/v1/operator/tenants", { body: { slug: "x" } }),
    ];
    for (const response of responses) {
      expect(response.headers.get("Content-Type")).toContain("application/problem+json");
      expect(response.headers.get("Cache-Control")).toBe("no-store");
    }
  });
});

describe("CORS", () => {
  const preflight = (path: string, origin: string) =>
    call(path, {
      method: "OPTIONS",
      headers: { Origin: origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type, authorization" },
    });

  it("answers a preflight from an allowed origin with that origin", async () => {
    const tenant = await createTenant({ allowed_origins: [APP_ORIGIN] });
    const response = await preflight(`${tenant.base}/identities`, APP_ORIGIN);
    expect(response.status).toBe(204);
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
    expect(response.headers.get("Access-Control-Allow-Methods")).toContain("POST");
    const allowed = (response.headers.get("Access-Control-Allow-Headers") ?? "").toLowerCase();
    expect(allowed).toContain("content-type");
    expect(allowed).toContain("authorization");
    expect(response.headers.get("Vary") ?? "").toContain("Origin");
    expectSecurityHeaders(response);
  });

  it("gives no Access-Control-Allow-Origin to any other origin", async () => {
    const tenant = await createTenant({ allowed_origins: [APP_ORIGIN] });
    for (const origin of [OTHER_ORIGIN, "http://app.example.com", "https://app.example.com:8443", `${APP_ORIGIN}.evil.net`, "null"]) {
      const response = await preflight(`${tenant.base}/identities`, origin);
      expect(response.headers.get("Access-Control-Allow-Origin"), origin).toBeNull();
    }
    const bare = await createTenant();
    expect((await preflight(`${bare.base}/identities`, APP_ORIGIN)).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("does not leak one tenant's allowed origins to another tenant", async () => {
    await createTenant({ allowed_origins: [APP_ORIGIN] });
    const other = await createTenant({ allowed_origins: ["https://other-app.example.com"] });
    expect((await preflight(`${other.base}/identities`, APP_ORIGIN)).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });

  it("marks actual responses, success and error, for an allowed origin only", async () => {
    const tenant = await createTenant({ allowed_origins: [APP_ORIGIN] });
    const created = await call(`${tenant.base}/identities`, {
      body: { email: uniqueEmail(), password: STRONG_PASSWORD },
      headers: { Origin: APP_ORIGIN },
      ip: freshIp(),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);

    // A browser app must be able to read the problem and the challenge of a 401.
    const unauthorized = await call(`${tenant.base}/me`, { headers: { Origin: APP_ORIGIN } });
    await expectProblem(unauthorized, 401, "unauthorized");
    expect(unauthorized.headers.get("Access-Control-Allow-Origin")).toBe(APP_ORIGIN);
    expect(unauthorized.headers.get("Access-Control-Expose-Headers") ?? "").toContain("WWW-Authenticate");

    const foreign = await call(`${tenant.base}/identities`, {
      body: { email: uniqueEmail(), password: STRONG_PASSWORD },
      headers: { Origin: OTHER_ORIGIN },
      ip: freshIp(),
    });
    expect(foreign.status).toBe(201);
    expect(foreign.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("unknown routes", () => {
  it.each(["/", "/nope", "/api/v1/nope", "/api/v1/operator/nope"])("%s is a 404 not_found problem", async (path) => {
    const body = await expectProblem(await call(path), 404, "not_found");
    expect(body.type).toBe("urn:plinto:error:not_found");
    expect(body.title).toBeTruthy();
  });

  it("an unknown path inside a tenant is a 404 not_found problem", async () => {
    const tenant = await createTenant();
    await expectProblem(await call(`${tenant.base}/nope`), 404, "not_found");
    await expectProblem(await call(`${tenant.base}/identities/extra`, { body: {}, ip: freshIp() }), 404, "not_found");
  });
});

describe("health, readiness and status", () => {
  it("GET /health is 200", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: "ok" });
  });

  it("GET /ready is 200 with database, kv and durable_objects all ok", async () => {
    const response = await call("/ready");
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(await json(response)).toEqual({ status: "ready", storage: env.HYPERDRIVE ? "postgres" : "d1", checks: { database: "ok", kv: "ok", durable_objects: "ok" } });
  });

  it("GET /ready is 503 and names the failing check when a dependency is down", async () => {
    const app = buildApp();
    const brokenKv = new Proxy(env.CONFIG_CACHE, {
      get: (target, property, receiver) =>
        property === "get" ? () => Promise.reject(new Error("kv down")) : Reflect.get(target, property, receiver),
    });
    const ctx = createExecutionContext();
    const response = await app.fetch(new Request(`${ORIGIN}/ready`), { ...env, CONFIG_CACHE: brokenKv }, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(await json(response)).toMatchObject({ status: "unavailable", checks: { database: "ok", kv: "failed", durable_objects: "ok" } });
  });

  it("GET /api/status is 200 with name, version and environment", async () => {
    const response = await call("/api/status");
    expect(response.status).toBe(200);
    const body = await json<{ name: string; version: string; environment: string }>(response);
    expect(body.name).toBe("plinto");
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof body.environment).toBe("string");
  });
});

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, { parameters?: { name: string; in: string; required?: boolean }[]; responses: Record<string, unknown> }>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

describe("OpenAPI and docs", () => {
  it("serves an OpenAPI 3.1 document with the tenant routes in OpenAPI path syntax", async () => {
    const response = await call("/api/v1/openapi.json");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const doc = await json<OpenApiDocument>(response);
    expect(doc.openapi.startsWith("3.1")).toBe(true);
    expect(doc.info.title).toBeTruthy();

    const identities = doc.paths["/t/{tenant}/api/v1/identities"];
    expect(identities?.post).toBeDefined();
    expect(identities?.post?.responses).toHaveProperty("201");
    expect(identities?.post?.responses).toHaveProperty("422");
    expect(doc.paths).toHaveProperty(["/t/{tenant}/api/v1/me"]);
    expect(doc.paths).toHaveProperty(["/t/{tenant}/api/v1/me/password"]);
    expect(Object.keys(doc.paths).filter((path) => path.includes(":"))).toEqual([]);
    expect(Object.keys(doc.components?.securitySchemes ?? {})).toEqual(expect.arrayContaining(["bearerAuth", "secretKey"]));
  });

  it("declares every templated path segment as a required path parameter", async () => {
    const doc = await json<OpenApiDocument>(await call("/api/v1/openapi.json"));
    const missing: string[] = [];
    for (const [path, operations] of Object.entries(doc.paths)) {
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      for (const [method, operation] of Object.entries(operations)) {
        for (const name of templated) {
          const parameter = operation.parameters?.find((candidate) => candidate.in === "path" && candidate.name === name);
          if (!parameter?.required) missing.push(`${method.toUpperCase()} ${path}: ${name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("serves a docs UI page that reads the document", async () => {
    const response = await call("/api/v1/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toContain("text/html");
    const html = await response.text();
    expect(html.toLowerCase()).toContain("<html");
    expect(html).toContain("/api/v1/openapi.json");
  });
});

describe("5xx responses", () => {
  it("never leak internals: generic title, no detail, the error only in the log", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const app = buildApp();
      const secret = "SQLITE_ERROR near users_secret_column at /src/storage/d1.ts:42";
      const brokenDb = new Proxy(env.DB, {
        get: () => () => {
          throw new Error(secret);
        },
      });
      const ctx = createExecutionContext();
      const request = new Request(`${ORIGIN}/t/broken-db-tenant/api/v1/identities`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ email: uniqueEmail(), password: STRONG_PASSWORD }),
      });
      // On D1 whatever the suite's backend: this is about what a 500 shows, not about a backend.
      const response = await app.fetch(request, { ...env, HYPERDRIVE: undefined, DB: brokenDb }, ctx);
      await waitOnExecutionContext(ctx);

      expect(response.status).toBe(500);
      expect(response.headers.get("Content-Type")).toContain("application/problem+json");
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expectSecurityHeaders(response);
      const text = await response.text();
      expect(text).not.toContain("SQLITE");
      expect(text).not.toContain("users_secret_column");
      expect(text).not.toContain("d1.ts");
      const body = JSON.parse(text) as Record<string, unknown>;
      expect(body).toEqual({ type: "urn:plinto:error:internal_error", title: "Internal error", status: 500, code: "internal_error" });
      expect(logged).toHaveBeenCalled();
      expect(logged.mock.calls.flat().join(" ")).toContain("users_secret_column");
    } finally {
      logged.mockRestore();
    }
  });
});
