import { ManualClock, type OAuthClient, randomSecret, sha256 } from "@plinto/core";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { buildApp } from "../../workers/api/app";
import { expect } from "vitest";
import { storageFor } from "../../workers/api/storage";
import { freshIp, ORIGIN, STRONG_PASSWORD, type TestTenant, uniqueSlug } from "./helpers";

/** What the app under test is called with: the worker's fetch, or an app built with an injected clock. */
export type Fetcher = (request: Request) => Promise<Response>;
export const workerFetch: Fetcher = (request) => exports.default.fetch(request);

/** The api worker with an injected clock, as a Fetcher (max_age and expiry tests move time by hand). */
export function clockedFetcher(start = Date.now()): { clock: ManualClock; fetcher: Fetcher } {
  const clock = new ManualClock(start);
  const app = buildApp({ clock });
  // With an execution context, so the request's after-response work runs and its Postgres client is closed.
  const fetcher: Fetcher = async (request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  return { clock, fetcher };
}

export const REDIRECT_URI = "https://rp.example/callback";

/** Registers a client straight in storage (the client admin API is tested on its own). */
export async function registerClient(tenant: TestTenant, overrides: Partial<OAuthClient> = {}): Promise<OAuthClient> {
  const now = Date.now();
  const client: OAuthClient = {
    id: `cli_${uniqueSlug("c").replace(/-/g, "")}`.slice(0, 40),
    tenantId: tenant.id,
    name: "Example RP",
    type: "public",
    firstParty: false,
    tokenEndpointAuthMethod: "none",
    secretHash: null,
    jwks: null,
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: ["https://rp.example/signed-out"],
    grantTypes: ["authorization_code", "refresh_token"],
    allowedScopes: ["openid", "profile", "email", "offline_access"],
    allowedResources: [],
    accessTokenTtlSeconds: null,
    refreshTokenTtlSeconds: null,
    metadata: { logo_uri: "https://rp.example/logo.png", client_uri: "https://rp.example" },
    createdVia: "admin",
    registrationTokenHash: null,
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
  await storageFor(env).oauthClients.insert(client);
  return client;
}

/** An RFC 7636 S256 pair. */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = randomSecret(32);
  return { verifier, challenge: await sha256(verifier) };
}

/**
 * A browser, by hand: keeps cookies per name (honouring Max-Age=0 deletions), sends them back,
 * and posts forms with this origin as Origin (a cross-site post sets another).
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    private readonly fetcher: Fetcher,
    readonly ip = freshIp(),
  ) {}

  private remember(response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const index = pair.indexOf("=");
      const name = pair.slice(0, index).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(index + 1).trim());
    }
  }

  private headers(extra: Record<string, string> = {}): Headers {
    const headers = new Headers({ "CF-Connecting-IP": this.ip, ...extra });
    if (this.cookies.size > 0) headers.set("Cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    return headers;
  }

  async get(url: string): Promise<Response> {
    const response = await this.fetcher(new Request(new URL(url, ORIGIN), { headers: this.headers(), redirect: "manual" }));
    this.remember(response);
    return response;
  }

  async post(url: string, form: Record<string, string>, origin: string | null = ORIGIN): Promise<Response> {
    const headers = this.headers({ "Content-Type": "application/x-www-form-urlencoded", ...(origin ? { Origin: origin } : {}) });
    const request = new Request(new URL(url, ORIGIN), { method: "POST", headers, body: new URLSearchParams(form).toString(), redirect: "manual" });
    const response = await this.fetcher(request);
    this.remember(response);
    return response;
  }
}

/** The Location of a redirect, as an absolute URL. */
export function locationOf(response: Response): URL {
  expect([302, 303]).toContain(response.status);
  const location = response.headers.get("Location");
  expect(location).toBeTruthy();
  return new URL(location ?? "", ORIGIN);
}

/** GETs a page with a form and returns its hidden fields (csrf_token, request, ...). */
export async function formOf(browser: Browser, url: string): Promise<{ page: string; fields: Record<string, string> }> {
  const response = await browser.get(url);
  expect(response.status).toBe(200);
  const page = await response.text();
  const fields: Record<string, string> = {};
  for (const match of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
    fields[match[1] ?? ""] = (match[2] ?? "").replace(/&amp;/g, "&");
  }
  return { page, fields };
}

export interface AuthorizeParams {
  client: OAuthClient;
  challenge: string;
  scope?: string;
  state?: string;
  nonce?: string;
  extra?: Record<string, string>;
}

export function authorizeUrl(tenant: TestTenant, params: AuthorizeParams): string {
  const query = new URLSearchParams({
    response_type: "code",
    client_id: params.client.id,
    redirect_uri: params.client.redirectUris[0] ?? REDIRECT_URI,
    scope: params.scope ?? "openid email",
    state: params.state ?? "state-123",
    nonce: params.nonce ?? "nonce-456",
    code_challenge: params.challenge,
    code_challenge_method: "S256",
    ...params.extra,
  });
  return `/t/${tenant.slug}/oauth/authorize?${query}`;
}

/** Signs in on the hosted page the authorization request led to; returns the response to the sign-in POST. */
export async function signInOnPage(browser: Browser, loginUrl: URL, email: string, password = STRONG_PASSWORD): Promise<Response> {
  const { fields } = await formOf(browser, loginUrl.pathname + loginUrl.search);
  return browser.post(loginUrl.pathname, { ...fields, email, password });
}

/** Follows same-origin redirects (GET) until one leaves the app; returns that final redirect's target. */
export async function followToClient(browser: Browser, response: Response): Promise<URL> {
  let current = response;
  for (let hops = 0; hops < 10; hops++) {
    const target = locationOf(current);
    if (target.origin !== ORIGIN) return target;
    current = await browser.get(target.pathname + target.search);
    if (current.status === 200) return target;
  }
  throw new Error("too many redirects");
}
