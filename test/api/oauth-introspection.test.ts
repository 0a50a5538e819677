import { describe, expect, it } from "vitest";
import { json, ORIGIN } from "./helpers";
import { oauthPost } from "./oauth-device-helpers";
import {
  API,
  basic,
  clientAuth,
  clientTokenRequest,
  exchangeCode,
  expectOAuthError,
  expectTokens,
  oauthTenant,
  registerClient,
  tenantWithClient,
  type TestClient,
} from "./oauth-token-helpers";
import type { TestTenant } from "./helpers";
import { type Caller, clockedApp, MINUTE } from "./token-helpers";

type Introspection = Record<string, unknown> & { active: boolean };

async function introspect(tenant: TestTenant, client: TestClient, form: Record<string, string>, send?: Caller): Promise<Introspection> {
  const response = await oauthPost(tenant, "introspect", form, { ...clientAuth(client), ...(send ? { send } : {}) });
  expect(response.status, await response.clone().text()).toBe(200);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return json<Introspection>(response);
}

describe("token introspection (RFC 7662)", () => {
  it("describes an active access token of the calling client", async () => {
    const { tenant, client } = await tenantWithClient();
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
    const { tenant, client } = await tenantWithClient();
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

  it("inactive, and nothing else, for rotated, revoked, unknown, first-party and other clients' tokens (no resource named)", async () => {
    const { tenant, client } = await tenantWithClient();
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

  it("a resource server (a confidential client allowed that resource) introspects tokens whose audience is it", async () => {
    const tenant = await oauthTenant();
    const app = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, app, { scope: "read:orders offline_access", resources: [API] });
    const resourceServer = await registerClient(tenant, { grantTypes: ["client_credentials"], allowedScopes: [], allowedResources: [API] });
    expect(await introspect(tenant, resourceServer, { token: tokens.access_token })).toMatchObject({
      active: true,
      client_id: app.client.id,
      sub: tenant.user.id,
      scope: "read:orders offline_access",
      aud: API,
    });
    const machine = await expectTokens(await clientTokenRequest(tenant, app, { grant_type: "client_credentials", scope: "read:orders", resource: API }));
    expect(await introspect(tenant, resourceServer, { token: machine.access_token })).toMatchObject({ active: true, client_id: app.client.id, aud: API });
    // Refresh tokens are presented only to the authorization server: a resource server learns nothing about them.
    expect(await introspect(tenant, resourceServer, { token: tokens.refresh_token ?? "" })).toEqual({ active: false });
    // A token for no resource (audience = the issuer) is not the resource server's.
    const openid = await exchangeCode(tenant, app, { scope: "openid" });
    expect(await introspect(tenant, resourceServer, { token: openid.access_token })).toEqual({ active: false });
  });

  it("a client allowed other resources, or the same resource in another tenant, learns nothing", async () => {
    const tenant = await oauthTenant();
    const app = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, app, { scope: "read:orders", resources: [API] });
    const elsewhere = await registerClient(tenant, { allowedResources: ["https://api.example.com/invoices"] });
    expect(await introspect(tenant, elsewhere, { token: tokens.access_token })).toEqual({ active: false });
    const none = await registerClient(tenant, { allowedResources: [] });
    expect(await introspect(tenant, none, { token: tokens.access_token })).toEqual({ active: false });
    const other = await oauthTenant();
    const foreignServer = await registerClient(other, { allowedResources: [API] });
    expect(await introspect(other, foreignServer, { token: tokens.access_token })).toEqual({ active: false });
  });

  it("a public client allowed the resource still cannot introspect", async () => {
    const tenant = await oauthTenant();
    const app = await registerClient(tenant);
    const tokens = await exchangeCode(tenant, app, { scope: "read:orders", resources: [API] });
    const publicClient = await registerClient(tenant, { type: "public", tokenEndpointAuthMethod: "none", secretHash: null, allowedResources: [API] });
    await expectOAuthError(await oauthPost(tenant, "introspect", { token: tokens.access_token, client_id: publicClient.client.id }), 401, "invalid_client");
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
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid offline_access" });
    const other = await oauthTenant();
    const foreign = await registerClient(other);
    expect(await introspect(other, foreign, { token: tokens.access_token })).toEqual({ active: false });
    expect(await introspect(other, foreign, { token: tokens.refresh_token ?? "" })).toEqual({ active: false });
    const crossed = await oauthPost(other, "introspect", { token: tokens.access_token }, clientAuth(client));
    await expectOAuthError(crossed, 401, "invalid_client");
  });

  it("requires real client authentication: wrong secret, none, or a public client fail", async () => {
    const { tenant, client } = await tenantWithClient();
    const tokens = await exchangeCode(tenant, client, { scope: "openid" });
    const wrong = await oauthPost(tenant, "introspect", { token: tokens.access_token }, { authorization: basic(client.client.id, "cs_wrong") });
    await expectOAuthError(wrong, 401, "invalid_client");
    expect(wrong.headers.get("WWW-Authenticate")).toMatch(/^Basic /);
    await expectOAuthError(await oauthPost(tenant, "introspect", { token: tokens.access_token }), 401, "invalid_client");
    const publicClient = await registerClient(tenant, { type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
    await expectOAuthError(await oauthPost(tenant, "introspect", { token: tokens.access_token, client_id: publicClient.client.id }), 401, "invalid_client");
    await expectOAuthError(await oauthPost(tenant, "introspect", {}, clientAuth(client)), 400, "invalid_request");
  });
});
