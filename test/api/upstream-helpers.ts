import { env, exports } from "cloudflare:workers";
import { expect, inject } from "vitest";
import { storageFor } from "../../workers/api/storage";
import { admin, createUser } from "./admin-helpers";
import { json, ORIGIN, type TestTenant, uniqueSlug } from "./helpers";

declare module "vitest" {
  export interface ProvidedContext {
    /** The oidc-provider issuer started by test/setup/upstream-providers.mjs. */
    upstreamOidcIssuer: string;
    /** The GitHub-style OAuth 2.0 server of the same setup (GitHub Enterprise Server layout). */
    upstreamGitHubUrl: string;
  }
}

export const OIDC_ISSUER = inject("upstreamOidcIssuer");
export const GITHUB_URL = inject("upstreamGitHubUrl");

export interface ConnectionBody {
  id: string;
  slug: string;
  kind: string;
  client_id: string;
  client_secret_set: boolean;
  private_key_set: boolean;
  redirect_uri: string;
  start_url: string;
  options: Record<string, unknown>;
  display_name: string;
  enabled: boolean;
}

/** A tiny cookie jar: name -> value, from Set-Cookie headers (paths ignored; every cookie is sent back). */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = (pair ?? "").indexOf("=");
      if (at > 0) this.cookies.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

/** Registers a client at the oidc-provider (RFC 7591) for this redirect URI. */
export async function registerOidcClient(redirectUri: string): Promise<{ client_id: string; client_secret: string }> {
  const response = await fetch(`${OIDC_ISSUER}/reg`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ redirect_uris: [redirectUri], grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_post" }),
  });
  expect(response.status).toBe(201);
  return json(response);
}

/** An enabled `oidc` connection at the test provider, with a client registered for its callback. */
export async function createOidcConnection(tenant: TestTenant, slug = uniqueSlug("oidc").slice(0, 40)): Promise<ConnectionBody> {
  const client = await registerOidcClient(`${tenant.issuer}/connections/${slug}/callback`);
  const response = await admin(tenant, "/connections", {
    body: { slug, kind: "oidc", display_name: "Test OIDC", client_id: client.client_id, client_secret: client.client_secret, issuer: OIDC_ISSUER },
  });
  expect(response.status).toBe(201);
  return json<ConnectionBody>(response);
}

/** An existing account whose email the tenant has verified (the case where an upstream sign-in may link to it). */
export async function userWithVerifiedEmail(tenant: TestTenant, email: string) {
  const user = await createUser(tenant, { email });
  await admin(tenant, `/users/${user.id}`, { method: "PATCH", body: { email_verified: true } });
  return user;
}

export interface UpstreamAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** A GET (or form POST) to the worker that does not follow redirects, as a browser step would be inspected. */
export function browserCall(path: string, jar: CookieJar, init: { method?: string; form?: URLSearchParams } = {}): Promise<Response> {
  const headers: Record<string, string> = { Cookie: jar.header() };
  if (init.form) headers["Content-Type"] = "application/x-www-form-urlencoded";
  const request = new Request(`${ORIGIN}${path}`, { method: init.method ?? "GET", headers, body: init.form?.toString(), redirect: "manual" });
  return exports.default.fetch(request);
}

/** GET /connections/{slug}/start: the provider URL to go to and the browser's cookies. */
export async function startSignIn(tenant: TestTenant, slug: string, jar = new CookieJar(), query = "") {
  const response = await browserCall(`/t/${tenant.slug}/connections/${slug}/start${query}`, jar);
  expect(response.status).toBe(302);
  jar.take(response);
  return { authorizeUrl: new URL(response.headers.get("Location") ?? ""), jar };
}

/**
 * Drives the oidc-provider: the authorization request, its interaction (sign in as `account`, or deny), and the
 * resume, up to the redirect back to Plinto's callback. Returns that callback URL.
 */
export async function authorizeAtProvider(authorizeUrl: URL, outcome: UpstreamAccount | "deny"): Promise<URL> {
  const providerJar = new CookieJar();
  const go = async (url: string) => {
    const response = await fetch(url, { redirect: "manual", headers: { Cookie: providerJar.header() } });
    providerJar.take(response);
    await response.body?.cancel();
    expect([302, 303]).toContain(response.status);
    return new URL(response.headers.get("Location") ?? "", url);
  };
  const interaction = await go(authorizeUrl.href);
  expect(interaction.pathname).toMatch(/^\/interaction\//);
  const params = new URLSearchParams();
  if (outcome === "deny") params.set("deny", "1");
  else for (const [key, value] of Object.entries(outcome)) if (value !== undefined) params.set(key, String(value));
  interaction.search = params.toString();
  const resume = await go(interaction.href);
  return go(resume.href);
}

/** Sends the provider's redirect to Plinto's callback (in-process worker), with the browser's cookies. */
export async function deliverCallback(callbackUrl: URL, jar: CookieJar): Promise<Response> {
  return browserCall(`${callbackUrl.pathname}${callbackUrl.search}`, jar);
}

/** Start, sign in at the provider as `account`, and land on Plinto's callback. */
export async function signInWithOidc(tenant: TestTenant, slug: string, account: UpstreamAccount) {
  const { authorizeUrl, jar } = await startSignIn(tenant, slug);
  const callbackUrl = await authorizeAtProvider(authorizeUrl, account);
  return { response: await deliverCallback(callbackUrl, jar), callbackUrl, jar };
}

/** The login-session cookie a successful sign-in sets (workers/api/routes/login/login-session.ts). */
export const loginCookieSet = (response: Response, tenant: TestTenant): boolean =>
  response.headers.getSetCookie().some((line) => line.startsWith(`__Host-plinto-${tenant.id}=`));

export const linkedIdentitiesOf = (tenant: TestTenant, userId: string) => storageFor(env).linkedIdentities.listForUser(tenant.id, userId);
export const userByEmail = (tenant: TestTenant, email: string) => storageFor(env).users.getByEmail(tenant.id, email.toLowerCase());
