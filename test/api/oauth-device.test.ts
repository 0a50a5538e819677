import { describe, expect, it } from "vitest";
import { ORIGIN } from "./helpers";
import { decide, lookUpCode, oauthPost, pollDevice, startDevice } from "./oauth-device-helpers";
import { expectOAuthError, expectTokens, oauthTenant, registerClient, verifyWithJwks } from "./oauth-token-helpers";
import { clockedApp } from "./token-helpers";

const DEVICE = "urn:ietf:params:oauth:grant-type:device_code";
const SECOND = 1_000;

async function deviceSetup(overrides: Parameters<typeof registerClient>[1] = {}) {
  const api = clockedApp();
  const tenant = await oauthTenant(api.call);
  const client = await registerClient(tenant, { grantTypes: [DEVICE, "refresh_token"], redirectUris: [], ...overrides });
  return { ...api, tenant, client };
}

const approval = (userId: string) => ({ approved: true as const, userId, amr: ["pwd"], authTime: Date.now(), loginSessionId: null });

describe("device authorization endpoint (RFC 8628 §3.1-3.2)", () => {
  it("answers with a device code, a XXXX-XXXX user code and the verification URIs", async () => {
    const { tenant, client, call } = await deviceSetup();
    const body = await startDevice(tenant, client, { scope: "openid profile" }, call);
    const issuer = `${ORIGIN}/t/${tenant.slug}`;
    expect(body.user_code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(body.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({
      verification_uri: `${issuer}/device`,
      verification_uri_complete: `${issuer}/device?user_code=${body.user_code}`,
      expires_in: 600,
      interval: 5,
    });
    const described = await lookUpCode(tenant, body.user_code.toLowerCase().replace("-", " "));
    expect(described?.client.id).toBe(client.client.id);
    expect(described?.scope).toBe("openid profile");
  });

  it("public clients identify with client_id alone; no-store like token responses", async () => {
    const { tenant, client } = await deviceSetup({ type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
    const response = await oauthPost(tenant, "device_authorization", { client_id: client.client.id, scope: "openid" });
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
  });

  it("refuses clients without the grant, bad credentials, unknown scopes and resources", async () => {
    const api = clockedApp();
    const tenant = await oauthTenant(api.call);
    const noDevice = await registerClient(tenant);
    await expectOAuthError(
      await oauthPost(tenant, "device_authorization", { scope: "openid" }, { authorization: `Basic ${btoa(`${noDevice.client.id}:${noDevice.secret}`)}` }),
      400,
      "unauthorized_client",
    );
    const client = await registerClient(tenant, { grantTypes: [DEVICE] });
    const auth = { authorization: `Basic ${btoa(`${client.client.id}:${client.secret}`)}` };
    await expectOAuthError(await oauthPost(tenant, "device_authorization", { scope: "openid admin:everything" }, auth), 400, "invalid_scope");
    await expectOAuthError(
      await oauthPost(tenant, "device_authorization", { scope: "openid", resource: "https://elsewhere.example/api" }, auth),
      400,
      "invalid_target",
    );
    await expectOAuthError(
      await oauthPost(tenant, "device_authorization", { scope: "openid" }, { authorization: `Basic ${btoa(`${client.client.id}:cs_wrong`)}` }),
      401,
      "invalid_client",
    );
    // A confidential client may not fall back to client_id alone.
    await expectOAuthError(await oauthPost(tenant, "device_authorization", { client_id: client.client.id }), 401, "invalid_client");
  });
});

describe("device authorization limits", () => {
  it("one client may start 30 device authorizations per IP in 10 minutes; another IP is unaffected", async () => {
    const { tenant, client } = await deviceSetup({ type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
    const start = (ip: string) => oauthPost(tenant, "device_authorization", { client_id: client.client.id, scope: "openid" }, { ip });
    for (let attempt = 0; attempt < 30; attempt += 1) expect((await start("203.0.113.7")).status).toBe(200);
    const limited = await start("203.0.113.7");
    await expectOAuthError(limited, 429, "temporarily_unavailable");
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect((await start("203.0.113.8")).status).toBe(200);
  });
});

describe("device_code grant polling (RFC 8628 §3.4-3.5)", () => {
  it("pending, slow_down when faster than the interval, then tokens exactly once after approval", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const { device_code: deviceCode, user_code: userCode } = await startDevice(tenant, client, { scope: "openid email offline_access" }, call);
    await expectOAuthError(await pollDevice(tenant, client, deviceCode, call), 400, "authorization_pending");
    await expectOAuthError(await pollDevice(tenant, client, deviceCode, call), 400, "slow_down");
    clock.advance(5 * SECOND);
    await expectOAuthError(await pollDevice(tenant, client, deviceCode, call), 400, "authorization_pending");

    await decide(tenant, userCode, approval(tenant.user.id), clock);
    const tokens = await expectTokens(await pollDevice(tenant, client, deviceCode, call));
    expect(tokens.scope).toBe("openid email offline_access");
    expect(tokens.refresh_token).toMatch(/^ort_/);
    const idToken = await verifyWithJwks(tenant, tokens.id_token ?? "", "JWT", client.client.id);
    expect(idToken).toMatchObject({ sub: tenant.user.id, email: tenant.user.email, amr: ["pwd"] });
    expect(idToken.nonce).toBeUndefined();
    // Approved codes are redeemed once: the next poll (even after the interval) finds nothing.
    clock.advance(5 * SECOND);
    await expectOAuthError(await pollDevice(tenant, client, deviceCode, call), 400, "invalid_grant");
    // The user code was used up by the decision.
    expect(await lookUpCode(tenant, userCode, clock)).toBeNull();
  });

  it("an approval is delivered even to a device polling faster than the interval", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    await expectOAuthError(await pollDevice(tenant, client, started.device_code, call), 400, "authorization_pending");
    await decide(tenant, started.user_code, approval(tenant.user.id), clock);
    await expectTokens(await pollDevice(tenant, client, started.device_code, call));
  });

  it("access_denied when the user denies, then the code is gone", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    await decide(tenant, started.user_code, { approved: false }, clock);
    await expectOAuthError(await pollDevice(tenant, client, started.device_code, call), 400, "access_denied");
    clock.advance(5 * SECOND);
    await expectOAuthError(await pollDevice(tenant, client, started.device_code, call), 400, "invalid_grant");
  });

  it("expired_token after expires_in, and the user code no longer resolves", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    clock.advance(600 * SECOND);
    await expectOAuthError(await pollDevice(tenant, client, started.device_code, call), 400, "expired_token");
    expect(await lookUpCode(tenant, started.user_code, clock)).toBeNull();
    await expect(decide(tenant, started.user_code, approval(tenant.user.id), clock)).rejects.toMatchObject({ code: "invalid_code" });
  });

  it("another client (or another tenant) cannot redeem the device code", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    await decide(tenant, started.user_code, approval(tenant.user.id), clock);
    const other = await registerClient(tenant, { grantTypes: [DEVICE] });
    await expectOAuthError(await pollDevice(tenant, other, started.device_code, call), 400, "invalid_grant");
    const elsewhere = await oauthTenant(call);
    const foreign = await registerClient(elsewhere, { grantTypes: [DEVICE] });
    await expectOAuthError(await pollDevice(elsewhere, foreign, started.device_code, call), 400, "invalid_grant");
    // The rightful client still gets its tokens.
    await expectTokens(await pollDevice(tenant, client, started.device_code, call));
  });

  it("a decision lands once: a second decision on the same user code fails", async () => {
    const { tenant, client, call, clock } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    const results = await Promise.allSettled([
      decide(tenant, started.user_code, approval(tenant.user.id), clock),
      decide(tenant, started.user_code, { approved: false }, clock),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const response = await pollDevice(tenant, client, started.device_code, call);
    expect([200, 400]).toContain(response.status);
  });
});

describe("user codes on the /device page (RFC 8628 §5.1, §6.1)", () => {
  it("are case- and dash-insensitive; garbage and unknown codes resolve to nothing", async () => {
    const { tenant, client, call } = await deviceSetup();
    const started = await startDevice(tenant, client, { scope: "openid" }, call);
    const raw = started.user_code.replace("-", "");
    expect((await lookUpCode(tenant, ` ${raw.toLowerCase()} `, undefined, "192.0.2.31"))?.client.id).toBe(client.client.id);
    expect(await lookUpCode(tenant, "AAAA-AAAA", undefined, "192.0.2.31")).toBeNull();
    expect(await lookUpCode(tenant, "BCDF-GHJ", undefined, "192.0.2.31")).toBeNull();
    const other = await oauthTenant(call);
    expect(await lookUpCode(other, started.user_code, undefined, "192.0.2.31")).toBeNull();
  });

  it("look-ups per IP are rate limited, so the short code cannot be guessed by brute force", async () => {
    const { tenant } = await deviceSetup();
    const ip = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
    for (let attempt = 0; attempt < 20; attempt += 1) expect(await lookUpCode(tenant, "BBBB-BBBB", undefined, ip)).toBeNull();
    await expect(lookUpCode(tenant, "BBBB-BBBB", undefined, ip)).rejects.toMatchObject({ code: "rate_limited" });
  });
});
