import { type Clock, decideDeviceAuthorization, describeUserCode, type DeviceDecision } from "@plinto/core";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { buildDeps } from "../../workers/api/deps";
import { call, json, type TestTenant } from "./helpers";
import { basic, scopeOf, type TestClient, tokenRequest } from "./oauth-token-helpers";
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

/** The /device page's decision, taken inside workerd on `clock` (a clockedApp's, so times agree). */
export async function decide(tenant: TestTenant, userCode: string, decision: DeviceDecision, clock?: Clock, ip = "192.0.2.10") {
  const deps = await buildDeps(env, clock);
  const scope = { ...(await scopeOf(tenant)), request: { ip, userAgent: null } };
  return decideDeviceAuthorization(deps, scope, userCode, decision);
}

export async function lookUpCode(tenant: TestTenant, userCode: string, clock?: Clock, ip = "192.0.2.10") {
  const deps = await buildDeps(env, clock);
  const scope = { ...(await scopeOf(tenant)), request: { ip, userAgent: null } };
  return describeUserCode(deps, scope, userCode);
}
