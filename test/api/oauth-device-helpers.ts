import { type Clock, type CoreDeps, decideDeviceAuthorization, describeUserCode, type DeviceDecision, type TenantScope } from "@plinto/core";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { call, json, ORIGIN, type TestTenant } from "./helpers";
import { basic, type TestClient, tokenRequest } from "./oauth-token-helpers";
import type { Caller } from "./token-helpers";

export const DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

export interface DeviceAuthorizationBody {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** POST a urlencoded form to one of the tenant's OAuth endpoints. */
export function oauthPost(
  tenant: TestTenant,
  endpoint: string,
  form: Record<string, string | string[]>,
  options: { authorization?: string; send?: Caller; ip?: string } = {},
): Promise<Response> {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
  }
  const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
  if (options.authorization) headers.Authorization = options.authorization;
  return (options.send ?? call)(`/t/${tenant.slug}/oauth/${endpoint}`, {
    method: "POST",
    rawBody: params.toString(),
    headers,
    ...(options.ip ? { ip: options.ip } : {}),
  });
}

/** The client's own credentials: Basic for confidential clients, client_id in the form for public ones. */
export function asClient(client: TestClient, form: Record<string, string | string[]>) {
  return client.secret !== null
    ? { form, authorization: basic(client.client.id, client.secret) }
    : { form: { ...form, client_id: client.client.id }, authorization: undefined };
}

export async function startDevice(tenant: TestTenant, client: TestClient, form: Record<string, string | string[]> = {}, send?: Caller) {
  const request = asClient(client, form);
  const response = await oauthPost(tenant, "device_authorization", request.form, {
    ...(request.authorization ? { authorization: request.authorization } : {}),
    ...(send ? { send } : {}),
  });
  expect(response.status, await response.clone().text()).toBe(200);
  return json<DeviceAuthorizationBody>(response);
}

export function pollDevice(tenant: TestTenant, client: TestClient, deviceCode: string, send?: Caller) {
  const request = asClient(client, { grant_type: DEVICE_GRANT, device_code: deviceCode });
  return tokenRequest(tenant, request.form, {
    ...(request.authorization ? { authorization: request.authorization } : {}),
    ...(send ? { send } : {}),
  });
}

/**
 * Runs `work` with the ports of one request on `clock` (a clockedApp's, so times agree) and the
 * tenant's scope as seen from `ip`; the request's storage is closed after (a Postgres client each).
 */
async function asRequest<T>(tenant: TestTenant, clock: Clock | undefined, ip: string, work: (deps: CoreDeps, scope: TenantScope) => Promise<T>): Promise<T> {
  const deps = await buildDeps(env, clock);
  try {
    const record = await deps.storage.tenants.getBySlug(tenant.slug);
    if (!record) throw new Error(`no tenant ${tenant.slug}`);
    return await work(deps, { tenant: record, issuer: `${ORIGIN}/t/${tenant.slug}`, request: { ip, userAgent: null } });
  } finally {
    await deps.storage.close?.();
  }
}

/** The /device page's decision, taken inside workerd. */
export function decide(tenant: TestTenant, userCode: string, decision: DeviceDecision, clock?: Clock, ip = "192.0.2.10") {
  return asRequest(tenant, clock, ip, (deps, scope) => decideDeviceAuthorization(deps, scope, userCode, decision));
}

/** The /device page's look-up, taken inside workerd. */
export function lookUpCode(tenant: TestTenant, userCode: string, clock?: Clock, ip = "192.0.2.10") {
  return asRequest(tenant, clock, ip, (deps, scope) => describeUserCode(deps, scope, userCode));
}
