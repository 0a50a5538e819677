import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, createTenant, json, signIn, signUp, type TestTenant, type TokenBody } from "../../test/api/helpers";
import { basic, clientTokenRequest, expectTokens, oauthTenant, registerClient } from "../../test/api/oauth-token-helpers";
import { buildEdgeVerifyApp } from "./app";
import type { EdgeVerifyBindings } from "./bindings";

/** The edge worker wired to the api worker under test, as its wrangler.toml wires it in production. */
function edgeWorker(bindings: Partial<EdgeVerifyBindings> = {}) {
  let now = Date.now();
  const app = buildEdgeVerifyApp({ now: () => now });
  const worker: EdgeVerifyBindings = {
    PLINTO_ORIGIN: "http://localhost",
    API: exports.default as unknown as Fetcher,
    REVOCATION_LIST: env.REVOCATION_LIST,
    JWKS_CACHE: env.JWKS_CACHE,
    ...bindings,
  };
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
  return {
    advance: (ms: number) => {
      now += ms;
    },
    verify: (token: string, init: RequestInit = {}) =>
      app.fetch(
        new Request("http://edge.local/verify", { method: "POST", headers: { Authorization: `Bearer ${token}` }, ...init }),
        worker,
        ctx,
      ),
    get: (path: string) => app.fetch(new Request(`http://edge.local${path}`), worker, ctx),
  };
}

async function signedIn(tenant: TestTenant): Promise<TokenBody> {
  const { email } = await signUp(tenant);
  return json<TokenBody>(await signIn(tenant, email));
}

describe("edge-verify worker", () => {
  it("answers a valid token with its claims and a revoked one with RFC 6750 invalid_token within the polling bound", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const edge = edgeWorker();
    const ok = await edge.verify(tokens.access_token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("Cache-Control")).toBe("no-store");
    expect(ok.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(ok.headers.get("Strict-Transport-Security")).toContain("max-age=");
    const body = await json<{ active: boolean; tenant: string; claims: { sid: string } }>(ok);
    expect(body).toMatchObject({ active: true, tenant: tenant.slug, claims: { sid: tokens.session_id } });

    const revoked = await call(`${tenant.base}/sessions/${tokens.session_id}`, { method: "DELETE", token: tokens.access_token });
    expect(revoked.status).toBe(204);
    edge.advance(1_100); // past the one-second snapshot lifetime
    const refused = await edge.verify(tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
    expect(refused.headers.get("X-Frame-Options")).toBe("DENY");
    expect(await json(refused)).toMatchObject({ error: "invalid_token" });
  });

  it("refuses a token signed by a revoked key within the same bound, and keeps accepting after a plain rotation", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const edge = edgeWorker();
    expect((await edge.verify(tokens.access_token)).status).toBe(200);
    const rotate = await call(`${tenant.base}/admin/signing-keys/rotate`, { method: "POST", token: tenant.secretKey });
    expect(rotate.status).toBe(201);
    edge.advance(1_100);
    expect((await edge.verify(tokens.access_token)).status).toBe(200);
    const kid = JSON.parse(atob(tokens.access_token.split(".")[0] ?? "")).kid as string;
    const removed = await call(`${tenant.base}/admin/signing-keys/${kid}`, { method: "DELETE", token: tenant.secretKey });
    expect(removed.status).toBe(204);
    edge.advance(1_100);
    expect((await edge.verify(tokens.access_token)).status).toBe(401);
  });

  it("reads the token from a form body or a JSON body, and says what is missing", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const edge = edgeWorker();
    const form = await edge.verify("", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ access_token: tokens.access_token }).toString(),
    });
    expect(form.status).toBe(200);
    const jsonBody = await edge.verify("", { headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: tokens.access_token }) });
    expect(jsonBody.status).toBe(200);
    const missing = await edge.verify("", { headers: {} });
    expect(missing.status).toBe(401);
    expect(missing.headers.get("WWW-Authenticate")).toBe('Bearer realm="plinto"');
  });

  it("refuses tokens of another Plinto origin", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const foreign = edgeWorker({ PLINTO_ORIGIN: "https://other.example" });
    const refused = await foreign.verify(tokens.access_token);
    expect(refused.status).toBe(401);
    expect(refused.headers.get("WWW-Authenticate")).toContain('error="invalid_token"');
  });

  it("polls revocations at most once a second per isolate under load", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const edge = edgeWorker();
    for (let i = 0; i < 500; i += 1) {
      expect((await edge.verify(tokens.access_token)).status).toBe(200);
      edge.advance(10); // 500 verifications over 5 seconds
    }
    const stats = await json<{ sources: { durableObjectCalls: number; apiCalls: number } }>(await edge.get("/stats"));
    expect(stats.sources.apiCalls).toBe(0);
    expect(stats.sources.durableObjectCalls).toBeGreaterThanOrEqual(1);
    expect(stats.sources.durableObjectCalls).toBeLessThanOrEqual(6);
  });

  it("falls back to the api worker's snapshot route without a Durable Object binding", async () => {
    const tenant = await createTenant();
    const tokens = await signedIn(tenant);
    const edge = edgeWorker({ REVOCATION_LIST: undefined, JWKS_CACHE: undefined });
    expect((await edge.verify(tokens.access_token)).status).toBe(200);
    const stats = await json<{ sources: { durableObjectCalls: number; apiCalls: number } }>(await edge.get("/stats"));
    expect(stats.sources).toEqual({ durableObjectCalls: 0, apiCalls: 1 });
  });

  it("accepts a client-credentials token (no sid) and refuses it once revoked (RFC 7009: by jti)", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const issued = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "read:orders" }));
    const edge = edgeWorker();
    const ok = await edge.verify(issued.access_token);
    expect(ok.status).toBe(200);
    const body = await json<{ active: boolean; claims: Record<string, unknown> }>(ok);
    expect(body.claims).toMatchObject({ sub: client.client.id, client_id: client.client.id, scope: "read:orders" });
    expect(body.claims.sid).toBeUndefined();

    const revoked = await call(`/t/${tenant.slug}/oauth/revoke`, {
      method: "POST",
      rawBody: new URLSearchParams({ token: issued.access_token }).toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Authorization: basic(client.client.id, client.secret ?? "") },
    });
    expect(revoked.status).toBe(200);
    edge.advance(1_100);
    expect((await edge.verify(issued.access_token)).status).toBe(401);
  });

  it("passes the tenant's JWKS through", async () => {
    const tenant = await createTenant();
    const edge = edgeWorker();
    const response = await edge.get(`/t/${tenant.slug}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    expect((await json<{ keys: unknown[] }>(response)).keys).toHaveLength(1);
  });
});
