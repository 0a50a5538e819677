import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, type JWK } from "jose";
import { expect } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { type CallOptions, call, json, type TestTenant } from "./helpers";
import { API, REDIRECT_URI } from "./oauth-token-helpers";
import { admin, type Caller } from "./token-helpers";

/** The management API's view of a client (contracts/oauth-clients.ts). */
export interface ClientBody {
  client_id: string;
  name: string;
  type: "confidential" | "public";
  first_party: boolean;
  token_endpoint_auth_method: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  grant_types: string[];
  allowed_scopes: string[];
  allowed_resources: string[];
  jwks: { keys: JWK[] } | null;
  access_token_ttl_seconds: number | null;
  refresh_token_ttl_seconds: number | null;
  client_uri: string | null;
  logo_uri: string | null;
  policy_uri: string | null;
  tos_uri: string | null;
  contacts: string[];
  created_via: "admin" | "dynamic";
  created_at: string;
  updated_at: string;
  client_secret?: string;
}

/** POST /admin/oauth/clients, expecting 201. */
export async function createClient(tenant: TestTenant, body: Record<string, unknown>, send: Caller = call): Promise<ClientBody> {
  const response = await admin(tenant, "/oauth/clients", { body: { name: "Test client", redirect_uris: [REDIRECT_URI], ...body } }, send);
  const text = await response.clone().text();
  expect(response.status, text).toBe(201);
  return json<ClientBody>(response);
}

/** A machine-to-machine client of the test API (client_credentials only). */
export const machineClient = (method = "client_secret_basic", extra: Record<string, unknown> = {}) => ({
  grant_types: ["client_credentials"],
  redirect_uris: [],
  allowed_scopes: ["read:orders"],
  allowed_resources: [API],
  token_endpoint_auth_method: method,
  ...extra,
});

export async function listClients(tenant: TestTenant): Promise<ClientBody[]> {
  const response = await admin(tenant, "/oauth/clients");
  expect(response.status).toBe(200);
  return (await json<{ data: ClientBody[] }>(response)).data;
}

/** A signing key pair and its public JWK (with kid and alg) for private_key_jwt. */
export async function clientKeyPair(alg: "RS256" | "ES256" | "EdDSA" | "PS256" = "RS256", kid = `k-${crypto.randomUUID()}`) {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const privateJwk: JWK = { ...(await exportJWK(privateKey)), kid, alg };
  return { privateKey, publicJwk, privateJwk, kid, alg };
}

/** RFC 7591 §3.1 registration request at {issuer}/oauth/register. */
export function register(tenant: TestTenant, body: unknown, options: CallOptions = {}, send: Caller = call): Promise<Response> {
  return send(`/t/${tenant.slug}/oauth/register`, { method: "POST", body, ...options });
}

/** The stored client row (for what the API never shows: secret hash, registration token hash). */
export async function storedClient(tenant: TestTenant, clientId: string) {
  const deps = await buildDeps(env);
  return deps.storage.oauthClients.get(tenant.id, clientId);
}
