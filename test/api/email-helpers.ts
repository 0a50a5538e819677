import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ManualClock } from "@plinto/core";
import { expect } from "vitest";
import type { MailFetcher } from "../../workers/api/adapters/mail/http-mail-api";
import { buildApp } from "../../workers/api/app";
import { type CallOptions, createTenant, freshIp, json, requestFor, STRONG_PASSWORD, type TestTenant, uniqueSlug } from "./helpers";
import type { Caller } from "./token-helpers";

export interface MailBody {
  id: string;
  tenant_id: string | null;
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
  created_at: string;
}

export interface EmailApi {
  clock: ManualClock;
  call: Caller;
}

/**
 * The api worker with a hand-moved clock (and optionally other vars or a fake
 * mail provider). Each request gets a real ExecutionContext and the test
 * waits for its `waitUntil` work, so mail sent after the response is in the
 * mailbox when `call` returns.
 */
export function emailApi(options: { vars?: Record<string, unknown>; mailFetcher?: MailFetcher } = {}): EmailApi {
  const clock = new ManualClock(Date.now());
  const app = buildApp({ clock, mailFetcher: options.mailFetcher });
  // Extra vars and bindings (MAIL_API_KEY, EMAIL) that wrangler.toml does not declare, hence the widening.
  const bindings = (options.vars ? { ...env, ...options.vars } : env) as Env;
  const call: Caller = async (path, callOptions: CallOptions = {}) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(requestFor(path, callOptions), bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  return { clock, call };
}

export const uniqueAddress = (prefix = "mail"): string => `${prefix}-${uniqueSlug("m")}@example.com`;

/** Messages the dev mailer stored for `to`, newest first, read through `GET /dev/mailbox/messages`. */
export async function mailTo(api: EmailApi, to: string): Promise<MailBody[]> {
  const response = await api.call(`/dev/mailbox/messages?to=${encodeURIComponent(to)}`);
  expect(response.status).toBe(200);
  return (await json<{ data: MailBody[] }>(response)).data;
}

/** The one newest message for `to`; fails when there is none. */
export async function lastMailTo(api: EmailApi, to: string): Promise<MailBody> {
  const [message] = await mailTo(api, to);
  if (!message) throw new Error(`no mail for ${to}`);
  return message;
}

/** The token a default template carries for pasting. */
export function tokenIn(message: MailBody): string {
  const match = /paste this token into [^:]+:\n\n([A-Za-z0-9_-]{43})\n/.exec(message.text);
  if (!match?.[1]) throw new Error(`no token in: ${message.text}`);
  return match[1];
}

/** The link of a default template, or null when it has none. */
export function linkIn(message: MailBody): URL | null {
  const match = /(https?:\/\/\S+)/.exec(message.text);
  return match?.[1] ? new URL(match[1]) : null;
}

export function codeIn(message: MailBody): string {
  const match = /code is:\n\n(\d{6})\n/.exec(message.text);
  if (!match?.[1]) throw new Error(`no code in: ${message.text}`);
  return match[1];
}

export async function patchTenantSettings(api: EmailApi, tenant: TestTenant, patch: Record<string, unknown>): Promise<void> {
  const response = await api.call(`${tenant.base}/admin/settings`, { method: "PATCH", body: patch, token: tenant.secretKey });
  expect(response.status).toBe(200);
}

/** A tenant, optionally with settings; `app.example` is an allowed origin for redirect_url tests. */
export async function emailTenant(api: EmailApi, settings: Record<string, unknown> = {}): Promise<TestTenant> {
  const tenant = await createTenant({ allowed_origins: ["https://app.example"] });
  if (Object.keys(settings).length > 0) await patchTenantSettings(api, tenant, settings);
  return tenant;
}

/** Signs up through the API (mail included); returns the response. */
export function signUpVia(api: EmailApi, tenant: TestTenant, email: string, body: Record<string, unknown> = {}): Promise<Response> {
  return api.call(`${tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD, ...body }, ip: freshIp() });
}

export const ACCEPTED = { status: "accepted", message: "If an account exists for this address, an email is on its way." };
