import { describe, expect, it } from "vitest";
import { json, ORIGIN } from "./helpers";
import { oauthPost } from "./oauth-device-helpers";
import {
  basic,
  clientTokenRequest,
  exchangeCode,
  expectOAuthError,
  expectTokens,
  oauthTenant,
  registerClient,
  type TestClient,
} from "./oauth-token-helpers";
import type { TestTenant } from "./helpers";
import { type Caller, clockedApp, MINUTE } from "./token-helpers";

type Introspection = Record<string, unknown> & { active: boolean };

async function introspect(tenant: TestTenant, client: TestClient, form: Record<string, string>, send?: Caller): Promise<Introspection> {
  const response = await oauthPost(tenant, "introspect", form, { authorization: basic(client.client.id, client.secret ?? ""), ...(send ? { send } : {}) });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return json<Introspection>(response);
}

describe("token introspection (RFC 7662)", () => {
  it("describes an active access token of the calling client", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, client, { scope: "openid read:orders" });
    const body = await introspect(tenant, client, { token: tokens.access_token });
    expect(body).toMatchObject({
      active: true,
      scope: "openid read:orders",
      client_id: client.client.id,
      sub: tenant.user.id,
      iss: `${ORIGIN}/t/${tenant.slug}`,
      token_type: "Bearer",
      exp: expect.any(Number),
      iat: expect.any(Number),
      nbf: expect.any(Number),
      jti: expect.any(String),
      sid: expect.stringMatching(/^ses_/),
    });
    expect(body.aud).toBeDefined();
    expect(body).not.toHaveProperty("username");
  });

  it("describes an active OAuth refresh token, whatever the hint says", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const access = await introspect(tenant, client, { token: tokens.access_token });
    for (const hint of [undefined, "refresh_token", "access_token", "something_else"]) {
      const body = await introspect(tenant, client, { token: tokens.refresh_token ?? "", ...(hint ? { token_type_hint: hint } : {}) });
      expect(body).toMatchObject({ active: true, scope: "openid offline_access", client_id: client.client.id, sub: tenant.user.id, sid: access.sid });
      expect(body.exp).toBeGreaterThan(Number(access.exp));
    }
    // The hint names the wrong kind for the access token too: still found.
    expect((await introspect(tenant, client, { token: tokens.access_token, token_type_hint: "refresh_token" })).active).toBe(true);
  });

  it("inactive, and nothing else, for rotated, revoked, unknown, first-party and other clients' tokens", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const other = await registerClient(tenant);
    expect(await introspect(tenant, other, { token: tokens.access_token })).toEqual({ active: false });
    expect(await introspect(tenant, other, { token: tokens.refresh_token ?? "" })).toEqual({ active: false });
    expect(await introspect(tenant, client, { token: "garbage" })).toEqual({ active: false });
    expect(await introspect(tenant, client, { token: tenant.user.accessToken })).toEqual({ active: false });
    expect(await introspect(tenant, client, { token: tenant.user.refreshToken })).toEqual({ active: false });
    const rotated = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "refresh_token", refresh_token: tokens.refresh_token ?? "" }));
    expect(await introspect(tenant, client, { token: tokens.refresh_token ?? "" })).toEqual({ active: false });
    expect((await introspect(tenant, client, { token: rotated.refresh_token ?? "" })).active).toBe(true);
  });

  it("inactive once expired (clock moved past exp)", async () => {
    const api = clockedApp();
    const tenant = await oauthTenant(api.call);
    const client = await registerClient(tenant);
    const machine = await expectTokens(await clientTokenRequest(tenant, client, { grant_type: "client_credentials", scope: "read:orders" }, api.call));
    const active = await introspect(tenant, client, { token: machine.access_token }, api.call);
    expect(active).toMatchObject({ active: true, sub: client.client.id, client_id: client.client.id, scope: "read:orders" });
    expect(active).not.toHaveProperty("sid");
    api.clock.advance(16 * MINUTE);
    expect(await introspect(tenant, client, { token: machine.access_token }, api.call)).toEqual({ active: false });
  });

  it("another tenant's client learns nothing, and cannot authenticate here", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const other = await oauthTenant();
    const foreign = await registerClient(other);
    expect(await introspect(other, foreign, { token: tokens.access_token })).toEqual({ active: false });
    expect(await introspect(other, foreign, { token: tokens.refresh_token ?? "" })).toEqual({ active: false });
    const crossed = await oauthPost(other, "introspect", { token: tokens.access_token }, { authorization: basic(client.client.id, client.secret ?? "") });
    await expectOAuthError(crossed, 401, "invalid_client");
  });

  it("requires real client authentication: wrong secret, none, or a public client fail", async () => {
    const tenant = await oauthTenant();
    const client = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, client, { scope: "openid" });
    const wrong = await oauthPost(tenant, "introspect", { token: tokens.access_token }, { authorization: basic(client.client.id, "cs_wrong") });
    await expectOAuthError(wrong, 401, "invalid_client");
    expect(wrong.headers.get("WWW-Authenticate")).toMatch(/^Basic /);
    await expectOAuthError(await oauthPost(tenant, "introspect", { token: tokens.access_token }), 401, "invalid_client");
    const publicClient = await registerClient(tenant, { type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
    await expectOAuthError(await oauthPost(tenant, "introspect", { token: tokens.access_token, client_id: publicClient.client.id }), 401, "invalid_client");
    await expectOAuthError(await oauthPost(tenant, "introspect", {}, { authorization: basic(client.client.id, client.secret ?? "") }), 400, "invalid_request");
  });
});
