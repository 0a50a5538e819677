import { parseStoredSettings } from "@plinto/contracts";
import { env } from "cloudflare:workers";
import { storageFor } from "../../workers/api/storage";
import { describe, expect, it } from "vitest";
import {
  admin,
  allAuditEvents,
  clockedApi,
  createSignedInUser,
  jwtPayload,
  patchSettings,
  type ProblemBody,
  retryAfter,
  type SettingsBody,
} from "./admin-helpers";
import { call, createTenant, expectProblem, freshIp, json, signIn, signUp, STRONG_PASSWORD, type TokenBody } from "./helpers";

async function getSettings(tenant: Awaited<ReturnType<typeof createTenant>>): Promise<SettingsBody> {
  const response = await admin(tenant, "/settings");
  expect(response.status).toBe(200);
  return json<SettingsBody>(response);
}

async function expectValidationPaths(response: Response, paths: string[]) {
  const problem = (await expectProblem(response, 400, "validation_failed")) as ProblemBody;
  expect(problem.errors?.map((error) => error.path)).toEqual(expect.arrayContaining(paths));
  return problem;
}

describe("admin settings", () => {
  it("GET returns the defaults of a new tenant", async () => {
    const tenant = await createTenant({ allowed_origins: ["https://app.example.com"] });
    const settings = await getSettings(tenant);
    expect(settings).toEqual({
      allowed_origins: ["https://app.example.com"],
      password_policy: { min_length: 12, reject_common_passwords: true },
      rate_limits: {
        sign_in_per_minute_per_ip: 10,
        sign_in_per_minute_per_account: 10,
        sign_up_per_hour_per_ip: 30,
        password_reset_per_hour_per_ip: 10,
        emails_per_hour_per_address: 5,
        code_attempts: 5,
      },
      lockout: { threshold: 5, base_seconds: 30, max_seconds: 3600 },
      tokens: { access_token_ttl_seconds: 900, refresh_token_ttl_seconds: 30 * 86400, refresh_idle_ttl_seconds: 14 * 86400 },
      signing_algorithm: "RS256",
      mfa: { policy: "optional", step_up_max_age_seconds: 600 },
      passkeys: { rp_id: null, rp_name: null, origins: [], user_verification: "preferred" },
      email: { verification: "optional", from_address: null, from_name: null, link_base_url: null },
      organizations: { permissions_in_token: false, invitation_ttl_seconds: 7 * 86400 },
      oauth: { resources: [], dynamic_registration: "disabled", login_session_ttl_seconds: 7 * 86400 },
      branding: { display_name: null, logo_url: null, primary_color: "#1f6feb", background_color: "#f6f8fa" },
    });
  });

  it("needs admin credentials: none 401, a user's token 403, an admin user's token works", async () => {
    const tenant = await createTenant();
    await expectProblem(await call(`${tenant.base}/admin/settings`), 401, "unauthorized");
    const user = await createSignedInUser(tenant, "user");
    await expectProblem(await call(`${tenant.base}/admin/settings`, { token: user.tokens.access_token }), 403, "forbidden");
    const patchAsUser = await call(`${tenant.base}/admin/settings`, {
      method: "PATCH",
      token: user.tokens.access_token,
      body: { password_policy: { min_length: 20 } },
    });
    await expectProblem(patchAsUser, 403, "forbidden");
    const adminUser = await createSignedInUser(tenant, "admin");
    const response = await call(`${tenant.base}/admin/settings`, {
      method: "PATCH",
      token: adminUser.tokens.access_token,
      body: { password_policy: { min_length: 14 } },
    });
    expect(response.status).toBe(200);
    expect((await json<SettingsBody>(response)).password_policy.min_length).toBe(14);
    const [event] = await allAuditEvents(tenant, { type: "settings.updated" });
    expect(event?.actor).toEqual({ type: "user", id: adminUser.user.id });
  });

  it("PATCH merges partially and keeps every other field", async () => {
    const tenant = await createTenant({ allowed_origins: ["https://app.example.com"] });
    const before = await getSettings(tenant);
    const after = await patchSettings(tenant, { password_policy: { min_length: 16 }, tokens: { access_token_ttl_seconds: 600 } });
    expect(after).toEqual({
      ...before,
      password_policy: { ...before.password_policy, min_length: 16 },
      tokens: { ...before.tokens, access_token_ttl_seconds: 600 },
    });
    // A second PATCH of another section keeps the first change.
    const again = await patchSettings(tenant, { lockout: { threshold: 7 } });
    expect(again.password_policy.min_length).toBe(16);
    expect(again.tokens.access_token_ttl_seconds).toBe(600);
    expect(again.lockout).toEqual({ ...before.lockout, threshold: 7 });
    expect(await getSettings(tenant)).toEqual(again);
  });

  it("rejects invalid values with 400 validation_failed and field paths, changing nothing", async () => {
    const tenant = await createTenant();
    const before = await getSettings(tenant);
    const patch = (body: unknown) => admin(tenant, "/settings", { method: "PATCH", body });

    await expectValidationPaths(await patch({ password_policy: { min_length: 5 } }), ["password_policy.min_length"]);
    await expectValidationPaths(await patch({ password_policy: { min_length: 129 } }), ["password_policy.min_length"]);
    await expectValidationPaths(
      await patch({ tokens: { refresh_token_ttl_seconds: 7200, refresh_idle_ttl_seconds: 86400 } }),
      ["tokens.refresh_idle_ttl_seconds"],
    );
    // Cross-field rule against the stored value: idle above the current 30-day absolute lifetime.
    await expectValidationPaths(await patch({ tokens: { refresh_idle_ttl_seconds: 31 * 86400 } }), ["tokens.refresh_idle_ttl_seconds"]);
    await expectValidationPaths(await patch({ lockout: { base_seconds: 600, max_seconds: 60 } }), ["lockout.max_seconds"]);
    const unknownTop = await expectValidationPaths(await patch({ favourite_colour: "blue" }), []);
    expect(JSON.stringify(unknownTop.errors)).toContain("favourite_colour");
    const unknownNested = await expectValidationPaths(await patch({ tokens: { id_token_ttl_seconds: 60 } }), []);
    expect(JSON.stringify(unknownNested.errors)).toContain("id_token_ttl_seconds");
    for (const origin of ["https://app.example.com/path", "https://app.example.com/", "javascript:alert(1)", "app.example.com", "*"]) {
      await expectValidationPaths(await patch({ allowed_origins: ["https://ok.example.com", origin] }), ["allowed_origins.1"]);
    }
    await expectValidationPaths(await patch({ signing_algorithm: "HS256" }), ["signing_algorithm"]);
    await expectValidationPaths(await patch({ rate_limits: { sign_in_per_minute_per_ip: 0 } }), ["rate_limits.sign_in_per_minute_per_ip"]);
    await expectValidationPaths(await patch({ rate_limits: { sign_in_per_minute_per_ip: "10" } }), ["rate_limits.sign_in_per_minute_per_ip"]);
    await expectValidationPaths(await patch({ tokens: { access_token_ttl_seconds: 1.5 } }), ["tokens.access_token_ttl_seconds"]);

    expect(await getSettings(tenant)).toEqual(before);
    expect(await allAuditEvents(tenant, { type: "settings.updated" })).toEqual([]);
  });

  it("writes a settings.updated audit event per change listing the changed fields", async () => {
    const tenant = await createTenant();
    await patchSettings(tenant, { password_policy: { min_length: 14 }, allowed_origins: ["https://a.example.com"] });
    await patchSettings(tenant, { rate_limits: { sign_up_per_hour_per_ip: 5 }, lockout: { threshold: 3, base_seconds: 10 } });
    // A PATCH that changes nothing writes nothing.
    await patchSettings(tenant, { password_policy: { min_length: 14 } });
    const events = await allAuditEvents(tenant, { type: "settings.updated" });
    expect(events).toHaveLength(2);
    const [second, first] = events;
    expect((first?.data.changed as string[]).sort()).toEqual(["allowed_origins", "password_policy.min_length"]);
    expect((second?.data.changed as string[]).sort()).toEqual(["lockout.base_seconds", "lockout.threshold", "rate_limits.sign_up_per_hour_per_ip"]);
    for (const event of events) {
      expect(event.actor.type).toBe("api_key");
      expect(event.actor.id).toMatch(/^sk_/);
      expect(event.subject_id).toBe(tenant.id);
    }
  });

  it("access_token_ttl_seconds 120 makes the next sign-in's token live 120 s (exp - iat)", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const before = await json<TokenBody>(await signIn(tenant, email));
    const beforeClaims = jwtPayload(before.access_token);
    expect(Number(beforeClaims.exp) - Number(beforeClaims.iat)).toBe(900);
    expect(before.expires_in).toBe(900);

    await patchSettings(tenant, { tokens: { access_token_ttl_seconds: 120 } });
    const after = await json<TokenBody>(await signIn(tenant, email));
    const claims = jwtPayload(after.access_token);
    expect(Number(claims.exp) - Number(claims.iat)).toBe(120);
    expect(after.expires_in).toBe(120);
    // Refresh uses the new lifetime too.
    const refreshed = await json<TokenBody>(await call(`${tenant.base}/sessions/refresh`, { body: { refresh_token: after.refresh_token } }));
    const refreshedClaims = jwtPayload(refreshed.access_token);
    expect(Number(refreshedClaims.exp) - Number(refreshedClaims.iat)).toBe(120);
  });

  it("a password policy change takes effect on the next sign-up", async () => {
    const tenant = await createTenant();
    await patchSettings(tenant, { password_policy: { min_length: 40 } });
    const response = await call(`${tenant.base}/identities`, {
      body: { email: `p-${Date.now()}@example.com`, password: "correct horse battery staple 42" },
      ip: freshIp(),
    });
    await expectProblem(response, 422, "weak_password");
  });

  it("a rate limit change takes effect on the next request", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    await patchSettings(tenant, { rate_limits: { sign_in_per_minute_per_ip: 2 } });
    const ip = freshIp();
    expect((await signIn(tenant, email, undefined, ip)).status).toBe(200);
    expect((await signIn(tenant, email, undefined, ip)).status).toBe(200);
    const limited = await signIn(tenant, email, undefined, ip);
    await expectProblem(limited, 429, "rate_limited");
    expect(retryAfter(limited)).toBeGreaterThanOrEqual(1);
    expect(retryAfter(limited)).toBeLessThanOrEqual(30);
    // Raising it again lets the same IP in at once.
    await patchSettings(tenant, { rate_limits: { sign_in_per_minute_per_ip: 10 } });
    expect((await signIn(tenant, email, undefined, ip)).status).toBe(200);
  });

  it("a new signing_algorithm rotates the key: the next token is signed with it", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    await patchSettings(tenant, { signing_algorithm: "ES256" });
    const token = await json<TokenBody>(await signIn(tenant, email));
    const header = JSON.parse(atob((token.access_token.split(".")[0] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { alg: string; kid: string };
    expect(header.alg).toBe("ES256");
    const me = await call(`${tenant.base}/me`, { token: token.access_token });
    expect(me.status).toBe(200);
    const rotated = await allAuditEvents(tenant, { type: "signing_key.rotated" });
    expect(rotated).toHaveLength(1);
    expect(rotated[0]?.subject_id).toBe(header.kid);
  });

  it("a signing_algorithm change that also shortens access tokens keeps the old key until the old tokens expire", async () => {
    const tenant = await createTenant();
    const { email } = await signUp(tenant);
    const api = clockedApi();
    const old = await json<TokenBody>(await api.call(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() }));
    const oldKid = (JSON.parse(atob((old.access_token.split(".")[0] ?? "").replace(/-/g, "+").replace(/_/g, "/"))) as { kid: string }).kid;
    expect(old.expires_in).toBe(900);

    const patched = await api.call(`${tenant.base}/admin/settings`, {
      method: "PATCH",
      token: tenant.secretKey,
      body: { signing_algorithm: "ES256", tokens: { access_token_ttl_seconds: 60 } },
    });
    expect(patched.status).toBe(200);

    // Ten minutes on, the old token has five minutes left: it must still verify, and its key must still be published.
    api.clock.advance(10 * 60_000);
    expect((await api.call(`${tenant.base}/me`, { token: old.access_token })).status).toBe(200);
    const keys = await json<{ data: { kid: string; status: string; publish_until: string | null }[] }>(
      await api.call(`${tenant.base}/admin/signing-keys`, { token: tenant.secretKey }),
    );
    const retired = keys.data.find((key) => key.kid === oldKid);
    expect(retired?.status).toBe("retired");
    const oldExpiry = Number(jwtPayload(old.access_token).exp) * 1000;
    expect(Date.parse(retired?.publish_until ?? "")).toBeGreaterThanOrEqual(oldExpiry);
  });

  it("a PATCH merges onto the stored settings, not onto this isolate's cached copy of the tenant", async () => {
    const tenant = await createTenant();
    // This isolate caches the tenant (for a few seconds) on this request.
    const before = await getSettings(tenant);
    // Another isolate changes the password policy meanwhile (the same write its PATCH would make).
    const elsewhere = { ...before, password_policy: { ...before.password_policy, min_length: 20 } };
    const storage = storageFor(env);
    const stored = await storage.tenants.getBySlug(tenant.slug);
    if (!stored) throw new Error("tenant missing");
    await storage.tenants.updateSettings({ ...stored, settings: parseStoredSettings(elsewhere), updatedAt: Date.now() });

    const after = await patchSettings(tenant, { lockout: { threshold: 7 } });
    expect(after.lockout.threshold).toBe(7);
    expect(after.password_policy.min_length).toBe(20);
    expect((await storage.tenants.getBySlug(tenant.slug))?.settings).toEqual(parseStoredSettings(after));
    const [event] = await allAuditEvents(tenant, { type: "settings.updated" });
    expect(event?.data.changed).toEqual(["lockout.threshold"]);
  });

  it("an allowed_origins change takes effect on CORS at once", async () => {
    const tenant = await createTenant();
    const preflight = () =>
      call(`${tenant.base}/sessions`, {
        method: "OPTIONS",
        headers: { Origin: "https://new.example.com", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type" },
      });
    expect((await preflight()).headers.get("Access-Control-Allow-Origin")).toBeNull();
    await patchSettings(tenant, { allowed_origins: ["https://new.example.com"] });
    expect((await preflight()).headers.get("Access-Control-Allow-Origin")).toBe("https://new.example.com");
    await patchSettings(tenant, { allowed_origins: [] });
    expect((await preflight()).headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
