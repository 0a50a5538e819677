import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";

export const ORIGIN = "http://localhost";
export const OPERATOR_KEY = env.OPERATOR_KEY;

let counter = 0;
/** A slug unique within the test run, so tests never share a tenant. */
export function uniqueSlug(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 6)}`;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  token?: string;
  headers?: Record<string, string>;
  ip?: string;
}

/** The request `call` sends; also used by helpers that send it to an app built with an injected clock. */
export function requestFor(path: string, options: CallOptions = {}): Request {
  const headers = new Headers(options.headers);
  if (options.token) headers.set("Authorization", `Bearer ${options.token}`);
  if (options.ip) headers.set("CF-Connecting-IP", options.ip);
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!headers.has("Content-Type")) headers.set("Content-Type", "application/json");
  }
  return new Request(`${ORIGIN}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

/** One request through the worker's real fetch handler. */
export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(requestFor(path, options));
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

export interface TestTenant {
  slug: string;
  id: string;
  secretKey: string;
  issuer: string;
  base: string;
}

export async function createTenant(
  overrides: { slug?: string; allowed_origins?: string[] } = {},
  send: (path: string, options?: CallOptions) => Promise<Response> = call,
): Promise<TestTenant> {
  const slug = overrides.slug ?? uniqueSlug();
  const response = await send("/api/v1/operator/tenants", {
    token: OPERATOR_KEY,
    body: { slug, name: `Tenant ${slug}`, allowed_origins: overrides.allowed_origins ?? [] },
  });
  expect(response.status).toBe(201);
  const body = await json<{ tenant: { id: string; issuer: string }; secret_key: { secret: string } }>(response);
  return { slug, id: body.tenant.id, secretKey: body.secret_key.secret, issuer: body.tenant.issuer, base: `/t/${slug}/api/v1` };
}

export interface TokenBody {
  access_token: string;
  refresh_token: string;
  session_id: string;
  expires_in: number;
  token_type: string;
  user?: { id: string; email: string };
}

export const STRONG_PASSWORD = "correct horse battery staple 42";

let ipCounter = 0;
/** A fresh client IP, so per-IP rate limits of one test do not leak into another. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
}

export async function signUp(tenant: TestTenant, email = `user-${uniqueSlug("u")}@example.com`, password = STRONG_PASSWORD) {
  const response = await call(`${tenant.base}/identities`, { body: { email, password }, ip: freshIp() });
  expect(response.status).toBe(201);
  return { email, password, tokens: await json<TokenBody>(response) };
}

export async function signIn(tenant: TestTenant, email: string, password = STRONG_PASSWORD, ip = freshIp()) {
  return call(`${tenant.base}/sessions`, { body: { email, password }, ip, headers: { "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36" } });
}

export async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("Content-Type")).toContain("application/problem+json");
  const body = await json<{ code: string; status: number; type: string; title: string }>(response);
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  return body;
}
