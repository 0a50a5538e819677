import { createLocalJWKSet, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import {
  call,
  createTenant,
  expectProblem,
  freshIp,
  json,
  OPERATOR_KEY,
  STRONG_PASSWORD,
  signIn,
  signUp,
  type TestTenant,
} from "./helpers";
import {
  admin,
  type Caller,
  claimsOf,
  clockedApp,
  expectInvalidToken,
  expectNoPrivateParts,
  getJwks,
  headerOf,
  kidsOf,
  me,
  MINUTE,
  refresh,
  tokensOf,
} from "./token-helpers";

interface SigningKeyView {
  kid: string;
  alg: string;
  status: "active" | "retired" | "revoked";
  created_at: string;
  retired_at: string | null;
  publish_until: string | null;
}

async function listKeys(tenant: TestTenant, send: Caller = call): Promise<SigningKeyView[]> {
  const response = await admin(tenant, "/signing-keys", {}, send);
  expect(response.status).toBe(200);
  const body = await json<{ data: SigningKeyView[] }>(response);
  expectNoPrivateParts(body);
  return body.data;
}

async function rotate(tenant: TestTenant, send: Caller = call): Promise<SigningKeyView> {
  const response = await admin(tenant, "/signing-keys/rotate", { method: "POST" }, send);
  expect(response.status).toBe(201);
  const body = await json<SigningKeyView>(response);
  expectNoPrivateParts(body);
  return body;
}

/** Verifies a token with jose against the tenant's JWKS as served now, like any third-party resource server. */
async function verifyWithJwks(tenant: TestTenant, token: string, send: Caller = call) {
  const { jwks } = await getJwks(tenant, send);
  return jwtVerify(token, createLocalJWKSet(jwks), { issuer: tenant.issuer, audience: tenant.issuer, typ: "at+jwt" });
}

describe("JWKS endpoint", () => {
  it("serves the active public key with public cache headers and no private members", async () => {
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant);
    const { jwks, response } = await getJwks(tenant);
    expect(response.headers.get("Content-Type")).toContain("application/json");
    const cacheControl = response.headers.get("Cache-Control") ?? "";
    expect(cacheControl).toMatch(/\bpublic\b/);
    expect(cacheControl).toMatch(/\bmax-age=\d+/);
    expect(cacheControl).not.toContain("no-store");
    expect(jwks.keys).toHaveLength(1);
    const [key] = jwks.keys;
    expect(key).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: headerOf(tokens.access_token).kid });
    expect(typeof key?.n).toBe("string");
    expect(key?.e).toBe("AQAB");
    expectNoPrivateParts(jwks);
    // Served the same from the mirror on a second read.
    const again = await getJwks(tenant);
    expect(again.jwks).toEqual(jwks);
    expectNoPrivateParts(again.jwks);
  });

  it("an unknown tenant has no JWKS", async () => {
    const response = await call("/t/no-such-tenant-here/.well-known/jwks.json");
    await expectProblem(response, 404, "tenant_not_found");
  });
});

describe("rotation", () => {
  it("makes a new active key; the JWKS lists old and new; old tokens still verify; new tokens use the new kid", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const [before] = await listKeys(tenant);
    const oldKid = headerOf(tokens.access_token).kid;
    expect(before?.kid).toBe(oldKid);
    expect(before?.status).toBe("active");

    const created = await rotate(tenant);
    expect(created.kid).not.toBe(oldKid);
    expect(created.status).toBe("active");
    expect(created.alg).toBe("RS256");

    const keys = await listKeys(tenant);
    expect(keys.map((key) => [key.kid, key.status])).toEqual([
      [created.kid, "active"],
      [oldKid, "retired"],
    ]);
    const retired = keys.find((key) => key.kid === oldKid);
    const window = Date.parse(retired?.publish_until ?? "") - Date.parse(retired?.retired_at ?? "");
    expect(window).toBe(900_000 + 5 * MINUTE);

    const { jwks } = await getJwks(tenant);
    expect(kidsOf(jwks).sort()).toEqual([created.kid, oldKid].sort());
    expectNoPrivateParts(jwks);

    expect((await me(tenant, tokens.access_token)).status).toBe(200);
    await verifyWithJwks(tenant, tokens.access_token);

    const after = await tokensOf(await signIn(tenant, email));
    expect(headerOf(after.access_token).kid).toBe(created.kid);
    expect((await me(tenant, after.access_token)).status).toBe(200);
    await verifyWithJwks(tenant, after.access_token);
    const refreshed = await tokensOf(await refresh(tenant, tokens.refresh_token));
    expect(headerOf(refreshed.access_token).kid).toBe(created.kid);
  });

  it("concurrent rotations leave exactly one active key; the others are retired with a publish window", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const responses = await Promise.all([1, 2, 3].map(() => admin(tenant, "/signing-keys/rotate", { method: "POST" })));
    expect(responses.map((response) => response.status)).toEqual([201, 201, 201]);
    const keys = await listKeys(tenant);
    expect(keys).toHaveLength(4);
    const active = keys.filter((key) => key.status === "active");
    expect(active).toHaveLength(1);
    for (const key of keys.filter((candidate) => candidate.status !== "active")) {
      expect(key.status).toBe("retired");
      expect(key.publish_until).not.toBeNull();
    }
    // The JWKS (served from the KV mirror) lists every published key, the active one included.
    expect(kidsOf((await getJwks(tenant)).jwks).sort()).toEqual(keys.map((key) => key.kid).sort());
    const after = await tokensOf(await signIn(tenant, email));
    expect(headerOf(after.access_token).kid).toBe(active[0]?.kid);
    expect((await me(tenant, after.access_token)).status).toBe(200);
    await verifyWithJwks(tenant, after.access_token);
  });

  it("rotation is audited", async () => {
    const tenant = await createTenant();
    const created = await rotate(tenant);
    const response = await admin(tenant, "/audit-events");
    const events = (await json<{ data: { type: string; subject_id: string | null }[] }>(response)).data;
    expect(events.some((event) => event.type === "signing_key.rotated" && event.subject_id === created.kid)).toBe(true);
  });

  it("the retired key leaves the JWKS once access TTL + 5 min leeway have passed (ManualClock)", async () => {
    const { clock, call: send } = clockedApp();
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant);
    const oldKid = headerOf(tokens.access_token).kid ?? "";
    // Prime the JWKS (and its KV mirror) before rotating, as a live tenant would have it.
    expect(kidsOf((await getJwks(tenant, send)).jwks)).toEqual([oldKid]);
    const created = await rotate(tenant, send);

    clock.advance(19 * MINUTE);
    expect(kidsOf((await getJwks(tenant, send)).jwks).sort()).toEqual([created.kid, oldKid].sort());

    clock.advance(MINUTE + 1_000);
    const { jwks } = await getJwks(tenant, send);
    expect(kidsOf(jwks)).toEqual([created.kid]);
    // The old token is long expired and its key gone: refused.
    await expectInvalidToken(await me(tenant, tokens.access_token, send));
    // Admin list still shows the key as retired (history), with its window in the past.
    const old = (await listKeys(tenant, send)).find((key) => key.kid === oldKid);
    expect(old?.status).toBe("retired");
    expect(Date.parse(old?.publish_until ?? "")).toBeLessThan(clock.now());
  });

  it("the JWKS read through the default worker after the window no longer lists the retired key either", async () => {
    // Rotation recorded with a clock 20 minutes in the past: for the real clock the window is already over.
    const { call: past } = clockedApp(Date.now() - 21 * MINUTE);
    const tenant = await createTenant();
    await signUp(tenant);
    const [first] = await listKeys(tenant);
    expect(kidsOf((await getJwks(tenant)).jwks)).toEqual([first?.kid]);
    const created = await rotate(tenant, past);
    expect(kidsOf((await getJwks(tenant)).jwks)).toEqual([created.kid]);
  });
});

describe("revocation", () => {
  it("DELETE of a retired key removes it from the JWKS at once and its tokens fail", async () => {
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant);
    const oldKid = headerOf(tokens.access_token).kid ?? "";
    const created = await rotate(tenant);
    expect((await me(tenant, tokens.access_token)).status).toBe(200);
    expect(kidsOf((await getJwks(tenant)).jwks)).toContain(oldKid);

    const response = await admin(tenant, `/signing-keys/${oldKid}`, { method: "DELETE" });
    expect(response.status).toBe(204);
    expect(kidsOf((await getJwks(tenant)).jwks)).toEqual([created.kid]);
    await expectInvalidToken(await me(tenant, tokens.access_token));
    await expect(verifyWithJwks(tenant, tokens.access_token)).rejects.toThrow();
    const keys = await listKeys(tenant);
    expect(keys.find((key) => key.kid === oldKid)?.status).toBe("revoked");
    expect(keys.find((key) => key.kid === created.kid)?.status).toBe("active");

    // Revoking it again, or a kid that never existed: 404.
    await expectProblem(await admin(tenant, `/signing-keys/${oldKid}`, { method: "DELETE" }), 404, "not_found");
    await expectProblem(await admin(tenant, "/signing-keys/key_00000000000000000000000000", { method: "DELETE" }), 404, "not_found");
  });

  it("DELETE of the active key rotates first: a new key signs, the revoked one is gone", async () => {
    const tenant = await createTenant();
    const { email, tokens } = await signUp(tenant);
    const activeKid = headerOf(tokens.access_token).kid ?? "";
    const response = await admin(tenant, `/signing-keys/${activeKid}`, { method: "DELETE" });
    expect(response.status).toBe(204);

    const keys = await listKeys(tenant);
    const active = keys.filter((key) => key.status === "active");
    expect(active).toHaveLength(1);
    expect(active[0]?.kid).not.toBe(activeKid);
    expect(keys.find((key) => key.kid === activeKid)?.status).toBe("revoked");
    expect(kidsOf((await getJwks(tenant)).jwks)).toEqual([active[0]?.kid]);

    await expectInvalidToken(await me(tenant, tokens.access_token));
    const after = await tokensOf(await signIn(tenant, email));
    expect(headerOf(after.access_token).kid).toBe(active[0]?.kid);
    expect((await me(tenant, after.access_token)).status).toBe(200);
    // The session survives a key compromise: its refresh token gets a token signed by the new key.
    const refreshed = await tokensOf(await refresh(tenant, tokens.refresh_token));
    expect(headerOf(refreshed.access_token).kid).toBe(active[0]?.kid);
    expect((await me(tenant, refreshed.access_token)).status).toBe(200);
  });

  it("requires the tenant's secret key", async () => {
    const tenant = await createTenant();
    const { tokens } = await signUp(tenant);
    const kid = headerOf(tokens.access_token).kid ?? "";
    const response = await call(`${tenant.base}/admin/signing-keys/${kid}`, { method: "DELETE" });
    expect(response.status).toBe(401);
    // A plain user's access token is not admin.
    await expectProblem(await admin(tenant, `/signing-keys/${kid}`, { method: "DELETE", token: tokens.access_token }), 403, "forbidden");
    await expectProblem(await admin(tenant, "/signing-keys/rotate", { method: "POST", token: tokens.access_token }), 403, "forbidden");
    expect((await me(tenant, tokens.access_token)).status).toBe(200);
  });
});

describe("signing algorithm", () => {
  for (const [alg, kty, crv] of [
    ["ES256", "EC", "P-256"],
    ["EdDSA", "OKP", "Ed25519"],
  ] as const) {
    it(`PATCH signing_algorithm ${alg}: new tokens are ${alg}, verify with jose and on /me; RS256 tokens keep working`, async () => {
      const tenant = await createTenant();
      const { email, tokens } = await signUp(tenant);
      const patch = await admin(tenant, "/settings", { method: "PATCH", body: { signing_algorithm: alg } });
      expect(patch.status).toBe(200);
      const settings = await json<{ signing_algorithm: string }>(patch);
      expect(settings.signing_algorithm).toBe(alg);
      expectNoPrivateParts(settings);

      const after = await tokensOf(await call(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() }));
      const header = headerOf(after.access_token);
      expect(header.alg).toBe(alg);
      expect(header.typ).toBe("at+jwt");
      expect(header.kid).not.toBe(headerOf(tokens.access_token).kid);
      expect((await me(tenant, after.access_token)).status).toBe(200);
      const { protectedHeader } = await verifyWithJwks(tenant, after.access_token);
      expect(protectedHeader.alg).toBe(alg);
      expect(claimsOf(after.access_token).exp! - claimsOf(after.access_token).iat!).toBe(900);

      const { jwks } = await getJwks(tenant);
      expectNoPrivateParts(jwks);
      const published = jwks.keys.find((key) => key.kid === header.kid);
      expect(published).toMatchObject({ kty, crv, alg, use: "sig" });
      // The RS256 key stays published for the tokens it signed.
      expect((await me(tenant, tokens.access_token)).status).toBe(200);
      await verifyWithJwks(tenant, tokens.access_token);

      // A token of the new algorithm cannot be replayed under the old kid.
      const [, payload, signature] = after.access_token.split(".");
      const oldHeader = btoa(JSON.stringify({ ...header, kid: headerOf(tokens.access_token).kid }))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      await expectInvalidToken(await me(tenant, `${oldHeader}.${payload}.${signature}`));

      const keys = await listKeys(tenant);
      expect(keys.find((key) => key.status === "active")?.alg).toBe(alg);
      const settingsRead = await admin(tenant, "/settings");
      expectNoPrivateParts(await json(settingsRead));
    });
  }

  it("rotate with an explicit alg in the body", async () => {
    const tenant = await createTenant();
    const response = await admin(tenant, "/signing-keys/rotate", { body: { alg: "ES256" } });
    expect(response.status).toBe(201);
    const created = await json<SigningKeyView>(response);
    expect(created.alg).toBe("ES256");
    expectNoPrivateParts(created);
    await expectProblem(await admin(tenant, "/signing-keys/rotate", { body: { alg: "HS256" } }), 400, "validation_failed");
    await expectProblem(await admin(tenant, "/signing-keys/rotate", { body: { alg: "none" } }), 400, "validation_failed");
  });

  it("rejects an unknown signing_algorithm", async () => {
    const tenant = await createTenant();
    for (const alg of ["HS256", "none", "RS512"]) {
      await expectProblem(await admin(tenant, "/settings", { method: "PATCH", body: { signing_algorithm: alg } }), 400, "validation_failed");
    }
  });
});

describe("no private key material in any admin response", () => {
  it("signing-key list, rotate, settings, api keys, tenant creation", async () => {
    const operator = await call("/api/v1/operator/tenants", {
      token: OPERATOR_KEY,
      body: { slug: `nopriv-${Date.now().toString(36)}`, name: "Key material check", allowed_origins: [] },
    });
    expect(operator.status).toBe(201);
    const created = await json<{ secret_key: { secret: string }; tenant: { slug: string } }>(operator);
    expectNoPrivateParts(created);
    const raw = JSON.stringify(created);
    expect(raw).not.toMatch(/private/i);

    const tenant = await createTenant();
    await rotate(tenant);
    const list = await admin(tenant, "/signing-keys");
    const text = await list.text();
    expect(text).not.toMatch(/private|encrypted|"d"|"p"|"q"/i);
    expectNoPrivateParts(JSON.parse(text));
    for (const path of ["/settings", "/api-keys", "/audit-events"]) {
      const response = await admin(tenant, path);
      expect(response.status).toBe(200);
      expectNoPrivateParts(await json(response));
    }
  });
});
