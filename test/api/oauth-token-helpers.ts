import {
  type AuthorizationCodeData,
  type Clock,
  issueAuthorizationCode,
  mintClientSecret,
  type OAuthClient,
  sha256,
  type TenantScope,
} from "@plinto/core";
import { env } from "cloudflare:workers";
import { createLocalJWKSet, type JWTPayload, jwtVerify } from "jose";
import { expect } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { call, createTenant, json, ORIGIN, signUp, type TestTenant } from "./helpers";
import { admin, type Caller, getJwks } from "./token-helpers";

/** An API the test tenants protect (RFC 8707 resource) and its scopes. */
export const API = "https://api.example.com/orders";
export const REDIRECT_URI = "https://app.example.com/callback";

export interface OAuthTestTenant extends TestTenant {
  /** A signed-up user of the tenant. */
  user: { id: string; email: string; accessToken: string; refreshToken: string };
}

/** A tenant with one API (read:orders, write:orders) and a signed-up user. */
export async function oauthTenant(send: Caller = call): Promise<OAuthTestTenant> {
  const tenant = await createTenant();
  const patched = await admin(
    tenant,
    "/settings",
    {
      method: "PATCH",
      body: {
        oauth: {
          resources: [
            {
              identifier: API,
              name: "Orders",
              scopes: [
                { value: "read:orders", description: "Read orders" },
                { value: "write:orders", description: "Write orders" },
              ],
            },
          ],
        },
      },
    },
    send,
  );
  expect(patched.status).toBe(200);
  const { email, tokens } = await signUp(tenant);
  const userId = tokens.user?.id;
  if (!userId) throw new Error("sign-up returned no user");
  return { ...tenant, user: { id: userId, email, accessToken: tokens.access_token, refreshToken: tokens.refresh_token } };
}

export interface TestClient {
  client: OAuthClient;
  /** The plain secret (confidential clients). */
  secret: string | null;
}

/** Registers a client straight in storage (the admin API is another helper's). */
export async function registerClient(tenant: TestTenant, overrides: Partial<OAuthClient> = {}): Promise<TestClient> {
  const deps = await buildDeps(env);
  const minted = await mintClientSecret();
  const confidential = (overrides.type ?? "confidential") === "confidential";
  const now = Date.now();
  const client: OAuthClient = {
    id: deps.ids.newId("cli"),
    tenantId: tenant.id,
    name: "Test client",
    type: "confidential",
    firstParty: false,
    tokenEndpointAuthMethod: confidential ? "client_secret_basic" : "none",
    secretHash: confidential ? minted.secretHash : null,
    jwks: null,
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: [],
    grantTypes: ["authorization_code", "refresh_token", "client_credentials"],
    allowedScopes: ["openid", "profile", "email", "offline_access", "read:orders", "write:orders"],
    allowedResources: [API],
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    metadata: {},
    createdVia: "admin",
    registrationTokenHash: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await deps.storage.oauthClients.insert(client);
  return { client, secret: confidential ? minted.secret : null };
}

/** A tenant (oauthTenant) and one client registered in it (registerClient with `overrides`). */
export async function tenantWithClient(overrides: Partial<OAuthClient> = {}): Promise<{ tenant: OAuthTestTenant; client: TestClient }> {
  const tenant = await oauthTenant();
  return { tenant, client: await registerClient(tenant, overrides) };
}

export async function scopeOf(tenant: TestTenant): Promise<TenantScope> {
  const deps = await buildDeps(env);
  const record = await deps.storage.tenants.getBySlug(tenant.slug);
  if (!record) throw new Error(`no tenant ${tenant.slug}`);
  return { tenant: record, issuer: `${ORIGIN}/t/${tenant.slug}`, request: { ip: null, userAgent: null } };
}

/** A PKCE pair (RFC 7636 §4.1-4.2, S256). */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = `${crypto.randomUUID()}-${crypto.randomUUID()}`.slice(0, 64);
  return { verifier, challenge: await sha256(verifier) };
}

/** What /authorize would have decided, for a code issued directly (the hosted /authorize is another helper's). */
export function codeData(tenant: OAuthTestTenant, client: OAuthClient, challenge: string, overrides: Partial<AuthorizationCodeData> = {}): AuthorizationCodeData {
  return {
    clientId: client.id,
    redirectUri: REDIRECT_URI,
    scope: "openid profile email offline_access read:orders",
    resources: [],
    codeChallenge: challenge,
    codeChallengeMethod: "S256",
    nonce: "n-0S6_WzA2Mj",
    userId: tenant.user.id,
    amr: ["pwd"],
    authTime: Date.now() - 5_000,
    acr: null,
    loginSessionId: null,
    ...overrides,
  };
}

/** Issues a code inside workerd, on `clock` (a clockedApp's, for expiry tests). */
export async function issueCode(tenant: TestTenant, data: AuthorizationCodeData, clock?: Clock): Promise<string> {
  const deps = await buildDeps(env, clock);
  return issueAuthorizationCode(deps, await scopeOf(tenant), data);
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded, then Basic-encoded. */
export const basic = (clientId: string, secret: string): string =>
  `Basic ${btoa(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`)}`;

export interface TokenRequestOptions {
  /** Authorization header (e.g. basic(...)); omitted for client_secret_post / public clients. */
  authorization?: string;
  send?: Caller;
  headers?: Record<string, string>;
}

/** POST {issuer}/oauth/token with a urlencoded form; array values repeat the parameter. */
export function tokenRequest(tenant: TestTenant, form: Record<string, string | string[]>, options: TokenRequestOptions = {}): Promise<Response> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded", ...options.headers };
  if (options.authorization) headers.Authorization = options.authorization;
  const send = options.send ?? call;
  return send(`/t/${tenant.slug}/oauth/token`, { method: "POST", rawBody: params.toString(), headers });
}

/** The client's secret as an Authorization header option (client_secret_basic). */
export const clientAuth = (client: TestClient): { authorization: string } => ({ authorization: basic(client.client.id, client.secret ?? "") });

/** Token request authenticated with the client's secret (client_secret_basic). */
export function clientTokenRequest(tenant: TestTenant, client: TestClient, form: Record<string, string | string[]>, send?: Caller) {
  return tokenRequest(tenant, form, { ...clientAuth(client), ...(send ? { send } : {}) });
}

export interface OAuthTokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
  refresh_token?: string;
  id_token?: string;
}

/** A 200 token response with RFC 6749 §5.1 headers. */
export async function expectTokens(response: Response): Promise<OAuthTokens> {
  const text = await response.clone().text();
  expect(response.status, text).toBe(200);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(response.headers.get("Pragma")).toBe("no-cache");
  return json<OAuthTokens>(response);
}

/** An RFC 6749 §5.2 error: JSON `{error, error_description}` with no-store and Pragma. */
export async function expectOAuthError(response: Response, status: number, error: string): Promise<{ error: string; error_description?: string }> {
  const body = await json<{ error: string; error_description?: string }>(response);
  expect({ status: response.status, error: body.error }, JSON.stringify(body)).toEqual({ status, error });
  expect(response.headers.get("Content-Type")).toContain("application/json");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  expect(response.headers.get("Pragma")).toBe("no-cache");
  expect(Object.keys(body).sort()).toEqual(["error", "error_description"]);
  return body;
}

/** Verifies a JWT with the tenant's published JWKS. */
export async function verifyWithJwks(tenant: TestTenant, token: string, typ: string, audience: string): Promise<JWTPayload> {
  const { jwks } = await getJwks(tenant);
  const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as Parameters<typeof createLocalJWKSet>[0]), {
    issuer: `${ORIGIN}/t/${tenant.slug}`,
    audience,
    typ,
  });
  return payload;
}

/** Runs the whole code exchange for a fresh code and returns the tokens. */
export async function exchangeCode(tenant: OAuthTestTenant, client: TestClient, overrides: Partial<AuthorizationCodeData> = {}): Promise<OAuthTokens> {
  const { verifier, challenge } = await pkce();
  const code = await issueCode(tenant, codeData(tenant, client.client, challenge, overrides));
  return expectTokens(
    await clientTokenRequest(tenant, client, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  );
}
