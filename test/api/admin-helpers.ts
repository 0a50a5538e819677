import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ManualClock } from "@plinto/core";
import { expect } from "vitest";
import { buildApp } from "../../workers/api/app";
import { call, type CallOptions, freshIp, json, requestFor, STRONG_PASSWORD, type TestTenant, type TokenBody, uniqueSlug } from "./helpers";

/** Wire shapes the admin tests read. */
export interface UserBody {
  id: string;
  email: string;
  email_verified: boolean;
  name: string | null;
  metadata: Record<string, unknown>;
  role: "user" | "admin";
  banned: boolean;
  ban_reason: string | null;
  created_at: string;
  updated_at: string;
  last_sign_in_at: string | null;
}

export interface AuditEventBody {
  id: string;
  type: string;
  actor: { type: string; id: string | null };
  subject_id: string | null;
  ip: string | null;
  user_agent: string | null;
  data: Record<string, unknown>;
  created_at: string;
}

export interface PageBody<T> {
  data: T[];
  next_cursor: string | null;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: { path: string; message: string; code: string }[];
}

export interface SettingsBody {
  allowed_origins: string[];
  password_policy: { min_length: number; reject_common_passwords: boolean };
  rate_limits: {
    sign_in_per_minute_per_ip: number;
    sign_in_per_minute_per_account: number;
    sign_up_per_hour_per_ip: number;
    password_reset_per_hour_per_ip: number;
  };
  lockout: { threshold: number; base_seconds: number; max_seconds: number };
  tokens: { access_token_ttl_seconds: number; refresh_token_ttl_seconds: number; refresh_idle_ttl_seconds: number };
  signing_algorithm: "RS256" | "ES256" | "EdDSA";
}

export const BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36";

export const uniqueEmail = (prefix = "user"): string => `${prefix}-${uniqueSlug("e")}@example.com`;

/** A management API call with the tenant's secret key (or another bearer). */
export function admin(tenant: TestTenant, path: string, options: CallOptions = {}): Promise<Response> {
  return call(`${tenant.base}/admin${path}`, { token: tenant.secretKey, ...options });
}

export async function createUser(
  tenant: TestTenant,
  body: { email?: string; password?: string; password_hash?: string; role?: "user" | "admin"; name?: string },
  token = tenant.secretKey,
): Promise<UserBody> {
  const response = await call(`${tenant.base}/admin/users`, { token, body: { email: uniqueEmail(), ...body } });
  expect(response.status).toBe(201);
  return json<UserBody>(response);
}

/** Creates a user through the management API and signs it in; returns its tokens. */
export async function createSignedInUser(tenant: TestTenant, role: "user" | "admin" = "user") {
  const email = uniqueEmail(role);
  const user = await createUser(tenant, { email, password: STRONG_PASSWORD, role });
  const response = await call(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
  expect(response.status).toBe(200);
  return { user, email, tokens: await json<TokenBody>(response) };
}

export async function patchSettings(tenant: TestTenant, patch: Record<string, unknown>): Promise<SettingsBody> {
  const response = await admin(tenant, "/settings", { method: "PATCH", body: patch });
  expect(response.status).toBe(200);
  return json<SettingsBody>(response);
}

/** Every audit event matching `query`, following next_cursor to the end. */
export async function allAuditEvents(tenant: TestTenant, query: Record<string, string> = {}): Promise<AuditEventBody[]> {
  const events: AuditEventBody[] = [];
  let cursor: string | null = null;
  do {
    const params = new URLSearchParams({ ...query, limit: "100", ...(cursor ? { cursor } : {}) });
    const response = await admin(tenant, `/audit-events?${params}`);
    expect(response.status).toBe(200);
    const page = await json<PageBody<AuditEventBody>>(response);
    events.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return events;
}

/** JWT payload, without verification (the API verified it). */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const padded = part.replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(padded + "=".repeat((4 - (padded.length % 4)) % 4))) as Record<string, unknown>;
}

/**
 * The same api worker built with a hand-moved clock, over the test's real
 * bindings (D1, Durable Objects, KV). Starts at real time so tokens and
 * records look ordinary.
 */
export function clockedApi(start = Date.now()) {
  const clock = new ManualClock(start);
  const app = buildApp({ clock });
  async function fetchWith(path: string, options: CallOptions = {}): Promise<Response> {
    const ctx = createExecutionContext();
    const response = await app.fetch(requestFor(path, options), env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }
  return { clock, call: fetchWith };
}

/** Retry-After as a number of seconds; fails the test when it is missing or not an integer. */
export function retryAfter(response: Response): number {
  const value = response.headers.get("Retry-After");
  expect(value).toMatch(/^\d+$/);
  return Number(value);
}
