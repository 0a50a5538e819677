import { expect } from "vitest";
import { call, createTenant, expectProblem, freshIp, json, signUp, type TestTenant, type TokenBody } from "./helpers";
import type { Caller } from "./token-helpers";
import { type CeremonyOverrides, SoftAuthenticator } from "./webauthn-authenticator";

/** The app's origin in these tests. The API origin is http://localhost, so the default RP ID is "localhost". */
export const APP_ORIGIN = "http://localhost:5173";

export interface PasskeyBody {
  id: string;
  name: string;
  credential_id: string;
  device_type: "singleDevice" | "multiDevice";
  backed_up: boolean;
  transports: string[];
  aaguid: string | null;
  created_at: string;
  last_used_at: string | null;
}

export interface CreationOptionsBody {
  challenge: string;
  rp: { id: string; name: string };
  user: { id: string; name: string; displayName: string };
  pubKeyCredParams: { type: string; alg: number }[];
  timeout: number;
  excludeCredentials: { id: string; type: string; transports?: string[] }[];
  authenticatorSelection: { residentKey: string; requireResidentKey: boolean; userVerification: string };
  attestation: string;
}

export interface RequestOptionsBody {
  challenge: string;
  rpId: string;
  timeout: number;
  allowCredentials: { id: string; type: string }[];
  userVerification: string;
}

/** A tenant whose only app origin is APP_ORIGIN (passkey settings left at their defaults). */
export const passkeyTenant = (): Promise<TestTenant> => createTenant({ allowed_origins: [APP_ORIGIN] });

/** A fresh user and an authenticator for the app origin. */
export async function passkeyUser(tenant: TestTenant, settings: Partial<ConstructorParameters<typeof SoftAuthenticator>[0]> = {}) {
  const { email, tokens } = await signUp(tenant);
  return { email, tokens, authenticator: new SoftAuthenticator({ origin: APP_ORIGIN, ...settings }) };
}

export async function registrationOptions(tenant: TestTenant, token: string, send: Caller = call): Promise<CreationOptionsBody> {
  const response = await send(`${tenant.base}/me/passkeys/registration/options`, { method: "POST", token });
  expect(response.status).toBe(200);
  return json<CreationOptionsBody>(response);
}

export const postPasskey = (tenant: TestTenant, token: string, body: unknown, send: Caller = call) =>
  send(`${tenant.base}/me/passkeys`, { token, body });

/** Options, a create() ceremony and the registration call that must succeed. */
export async function registerPasskey(
  tenant: TestTenant,
  tokens: TokenBody,
  authenticator: SoftAuthenticator,
  overrides: CeremonyOverrides = {},
  send: Caller = call,
): Promise<PasskeyBody> {
  const options = await registrationOptions(tenant, tokens.access_token, send);
  const response = await postPasskey(tenant, tokens.access_token, { response: await authenticator.create(options, overrides) }, send);
  expect(response.status).toBe(201);
  return json<PasskeyBody>(response);
}

export async function signInOptions(tenant: TestTenant, send: Caller = call): Promise<RequestOptionsBody> {
  const response = await send(`${tenant.base}/passkeys/authentication/options`, { method: "POST", ip: freshIp() });
  expect(response.status).toBe(200);
  return json<RequestOptionsBody>(response);
}

export const postPasskeySignIn = (tenant: TestTenant, response: unknown, send: Caller = call) =>
  send(`${tenant.base}/sessions/passkey`, { body: { response }, ip: freshIp() });

/** A usernameless sign-in: options, a get() ceremony, and the sign-in call. */
export async function passkeySignIn(
  tenant: TestTenant,
  authenticator: SoftAuthenticator,
  overrides: CeremonyOverrides = {},
  send: Caller = call,
): Promise<Response> {
  const options = await signInOptions(tenant, send);
  return postPasskeySignIn(tenant, await authenticator.get(options, overrides), send);
}

export async function listPasskeys(tenant: TestTenant, token: string, send: Caller = call): Promise<PasskeyBody[]> {
  const response = await send(`${tenant.base}/me/passkeys`, { token });
  expect(response.status).toBe(200);
  return (await json<{ data: PasskeyBody[] }>(response)).data;
}

/** A 400 `webauthn_verification_failed` problem; returns its detail. */
export async function expectVerificationFailure(response: Response): Promise<string> {
  const body = (await expectProblem(response, 400, "webauthn_verification_failed")) as { detail?: string };
  return body.detail ?? "";
}
