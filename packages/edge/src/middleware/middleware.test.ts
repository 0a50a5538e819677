/** Hono and plain-fetch middleware, scope and organization-role guards. */
import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { beforeAll, describe, expect, it } from "vitest";
import { assertScope } from "../access";
import { createVerifier, type Verifier } from "../create-verifier";
import type { VerifierOptions } from "../options";
import { claimsAt, emptySnapshot, FakeJwksOrigin, ISSUER, makeKey, ManualClock, sign, type TestKey } from "../test-support/fixtures";
import { withPlintoAuth } from "./fetch";
import { type PlintoAuthVariables, plintoAuth, requireOrgRole, requirePermission, requireScope } from "./hono";

let key: TestKey;
let clock: ManualClock;
let verifier: Verifier;

beforeAll(async () => {
  key = await makeKey("RS256", "key_mw");
  clock = new ManualClock();
  const origin = new FakeJwksOrigin();
  origin.publish(ISSUER, [key]);
  verifier = createVerifier({ issuer: ISSUER, fetch: origin.fetch, now: clock.now });
});

const bearer = async (overrides: Record<string, unknown> = {}) => ({
  authorization: `Bearer ${await sign(key, claimsAt(clock.ms, overrides))}`,
});

function app() {
  const hono = new Hono<{ Variables: PlintoAuthVariables }>();
  hono.use("/api/*", plintoAuth(verifier, { realm: "items" }));
  hono.get("/api/me", (c) => c.json({ sub: c.get("auth").claims.sub, tenant: c.var.auth.tenant }));
  hono.post("/api/items", requireScope("write:items"), (c) => c.json({ ok: true }));
  hono.delete("/api/items", requireScope("delete:items"), (c) => c.json({ ok: true }));
  hono.get("/api/org", requireOrgRole("admin", "owner"), (c) => c.json({ org: c.get("auth").claims.org_id }));
  hono.put("/api/docs", requirePermission("documents:edit"), (c) => c.json({ permissions: c.get("auth").claims.permissions }));
  return hono;
}

describe("plintoAuth (Hono)", () => {
  it("sets the verified token as c.get('auth')", async () => {
    const response = await app().request("/api/me", { headers: await bearer() });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ sub: "usr_01", tenant: "acme" });
  });

  it("answers 401 with an RFC 6750 challenge and never reaches the handler", async () => {
    const missing = await app().request("/api/me");
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toBe('Bearer realm="items"');
    const expired = await app().request("/api/me", { headers: await bearer({ exp: Math.floor(clock.ms / 1000) - 60 }) });
    expect(expired.status).toBe(401);
    expect(expired.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await expired.json()).toMatchObject({ error: "invalid_token" });
  });

  it("requireScope answers 403 insufficient_scope naming the scope", async () => {
    const allowed = await app().request("/api/items", { method: "POST", headers: await bearer() });
    expect(allowed.status).toBe(200);
    const refused = await app().request("/api/items", { method: "DELETE", headers: await bearer() });
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('scope="delete:items"');
  });

  it("requirePermission needs an organization whose role's permissions (claim `permissions`) grant it", async () => {
    const put = async (claims: Record<string, unknown>) => app().request("/api/docs", { method: "PUT", headers: await bearer(claims) });
    const exact = await put({ org_id: "org_1", org_role: "editor", permissions: ["documents:edit"] });
    expect(await exact.json()).toEqual({ permissions: ["documents:edit"] });
    expect((await put({ org_id: "org_1", org_role: "editor", permissions: ["documents:*"] })).status).toBe(200);
    const refused = await put({ org_id: "org_1", org_role: "viewer", permissions: ["documents:read"] });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: "insufficient_scope" });
    expect((await put({ org_id: "org_1", org_role: "admin" })).status).toBe(403);
    expect((await put({ permissions: ["documents:edit"] })).status).toBe(403);
    const malformed = await put({ org_id: "org_1", permissions: "documents:edit" });
    expect(malformed.status).toBe(401);
  });

  it("requireOrgRole needs an organization and one of the roles", async () => {
    const admin = await app().request("/api/org", { headers: await bearer({ org_id: "org_1", org_role: "admin" }) });
    expect(await admin.json()).toEqual({ org: "org_1" });
    const member = await app().request("/api/org", { headers: await bearer({ org_id: "org_1", org_role: "member" }) });
    expect(member.status).toBe(403);
    const noOrg = await app().request("/api/org", { headers: await bearer({ org_role: "admin" }) });
    expect(noOrg.status).toBe(403);
  });

  it("guards answer 401 when plintoAuth did not run", async () => {
    const hono = new Hono();
    hono.get("/x", requireScope("read:items"), (c) => c.text("no"));
    expect((await hono.request("/x")).status).toBe(401);
  });

  it("accepts options or a function of the context (for bindings)", async () => {
    const byOptions = new Hono<{ Variables: PlintoAuthVariables }>();
    byOptions.use(plintoAuth({ issuer: ISSUER, jwksUrl: false, now: clock.now }));
    byOptions.get("/", (c) => c.text("ok"));
    expect((await byOptions.request("/", { headers: await bearer() })).status).toBe(401);

    let made = 0;
    type AppEnv = { Bindings: { ISSUER: string }; Variables: PlintoAuthVariables };
    const byContext = new Hono<AppEnv>();
    byContext.use(
      plintoAuth<AppEnv>((c) => {
        made += 1;
        expect(c.env.ISSUER).toBe(ISSUER);
        return verifier;
      }),
    );
    byContext.get("/", (c) => c.text(c.get("auth").kid));
    for (let i = 0; i < 2; i++) {
      const response = await byContext.request("/", { headers: await bearer() }, { ISSUER });
      expect(await response.text()).toBe(key.kid);
    }
    expect(made).toBe(2);
  });
});

describe("withPlintoAuth (fetch handlers)", () => {
  const handler = withPlintoAuth<{ NAME: string }, ExecutionContext>(() => verifier, async (request, workerEnv, _ctx, auth) => {
    if (new URL(request.url).pathname === "/write") assertScope(auth, "admin:all");
    return Response.json({ sub: auth.claims.sub, name: workerEnv.NAME });
  });

  it("calls the handler with the verified token", async () => {
    const response = await handler(new Request("https://app.test/", { headers: await bearer() }), { NAME: "app" }, {} as ExecutionContext);
    expect(await response.json()).toEqual({ sub: "usr_01", name: "app" });
  });

  it("turns refusals, also those the handler throws, into RFC 6750 responses", async () => {
    const missing = await handler(new Request("https://app.test/"), { NAME: "app" }, {} as ExecutionContext);
    expect(missing.status).toBe(401);
    const scope = await handler(new Request("https://app.test/write", { headers: await bearer() }), { NAME: "app" }, {} as ExecutionContext);
    expect(scope.status).toBe(403);
    expect(scope.headers.get("www-authenticate")).toContain('scope="admin:all"');
  });

  it("lets other errors propagate", async () => {
    const failing = withPlintoAuth(verifier, () => {
      throw new Error("boom");
    });
    await expect(failing(new Request("https://app.test/", { headers: await bearer() }), undefined, undefined)).rejects.toThrow("boom");
  });
});

describe("Workers bindings fit the structural option types", () => {
  it("takes a KV namespace, a service-binding-like fetch and caches.default as they are", () => {
    const options: VerifierOptions = {
      issuer: ISSUER,
      kv: env.JWKS_CACHE,
      fetch,
      revocation: { source: async (tenant) => emptySnapshot(tenant), cache: caches.default },
    };
    expect(() => createVerifier(options)).not.toThrow();
  });
});
