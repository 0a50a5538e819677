import type { ManualClock } from "@plinto/core";
import { HOTP, Secret } from "otpauth";
import { expect } from "vitest";
import { clockedApi, uniqueEmail } from "./admin-helpers";
import { type CallOptions, createTenant, freshIp, json, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";

/**
 * MFA tests drive the real API of a worker built with a hand-moved clock, and
 * compute TOTP codes with otpauth from the secret the enrolment returned.
 */
export interface World {
  tenant: TestTenant;
  clock: ManualClock;
  send: (path: string, options?: CallOptions) => Promise<Response>;
}

export const STEP_MS = 30_000;

export interface EnrollmentBody {
  factor_id: string;
  secret: string;
  otpauth_uri: string;
  qr_svg: string;
  algorithm: string;
  digits: number;
  period: number;
}

export interface MfaRequiredBody {
  status: "mfa_required";
  mfa_token: string;
  expires_in: number;
  factors: string[];
  enrollment_required: boolean;
}

export type MfaTokenBody = TokenBody & { recovery_codes?: string[] };

export async function world(tenant?: TestTenant): Promise<World> {
  const { clock, call } = clockedApi();
  return { tenant: tenant ?? (await createTenant()), clock, send: call };
}

/** The TOTP code an authenticator app shows at `at` (SHA-1, 6 digits, 30 s). */
export function codeAt(secret: string, at: number, stepOffset = 0): string {
  return HOTP.generate({ secret: Secret.fromBase32(secret), digits: 6, counter: Math.floor(at / STEP_MS) + stepOffset });
}

/** Moves to the next time step and returns its code (a code is accepted once, so every use needs a new step). */
export function nextCode(w: World, secret: string): string {
  w.clock.advance(STEP_MS);
  return codeAt(secret, w.clock.now());
}

/** A code no step in the ±1 window shows. */
export function wrongCode(secret: string, at: number): string {
  const window = new Set([-1, 0, 1].map((offset) => codeAt(secret, at, offset)));
  for (let n = 0; ; n++) {
    const candidate = String((Number(codeAt(secret, at)) + 1 + n * 7919) % 1_000_000).padStart(6, "0");
    if (!window.has(candidate)) return candidate;
  }
}

export async function signUpUser(w: World, email = uniqueEmail("mfa")): Promise<{ email: string; tokens: TokenBody }> {
  const response = await w.send(`${w.tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
  expect(response.status).toBe(201);
  return { email, tokens: await json<TokenBody>(response) };
}

export const postSignIn = (w: World, email: string, password = STRONG_PASSWORD) =>
  w.send(`${w.tenant.base}/sessions`, { body: { email, password }, ip: freshIp() });

/** A sign-in that must stop at the MFA challenge. */
export async function signInToChallenge(w: World, email: string): Promise<MfaRequiredBody> {
  const response = await postSignIn(w, email);
  expect(response.status).toBe(200);
  const body = await json<MfaRequiredBody>(response);
  expect(body.status).toBe("mfa_required");
  return body;
}

export const answerChallenge = (w: World, body: Record<string, string>) => w.send(`${w.tenant.base}/sessions/mfa`, { body });

/** POST /me/mfa/totp then activate with the current code; returns the secret and the first recovery codes. */
export async function enrolTotp(w: World, accessToken: string): Promise<{ enrollment: EnrollmentBody; recoveryCodes: string[] }> {
  const started = await w.send(`${w.tenant.base}/me/mfa/totp`, { method: "POST", token: accessToken });
  expect(started.status).toBe(201);
  const enrollment = await json<EnrollmentBody>(started);
  const activated = await w.send(`${w.tenant.base}/me/mfa/totp/activate`, {
    token: accessToken,
    body: { code: codeAt(enrollment.secret, w.clock.now()) },
  });
  expect(activated.status).toBe(200);
  const { recovery_codes } = await json<{ recovery_codes: string[] }>(activated);
  return { enrollment, recoveryCodes: recovery_codes };
}

/** A user with active TOTP, signed out of nothing (its sign-up session stays). */
export async function userWithTotp(w: World) {
  const { email, tokens } = await signUpUser(w);
  const { enrollment, recoveryCodes } = await enrolTotp(w, tokens.access_token);
  return { email, tokens, secret: enrollment.secret, recoveryCodes };
}

export const patchTenantSettings = async (w: World, patch: Record<string, unknown>) => {
  const response = await w.send(`${w.tenant.base}/admin/settings`, { method: "PATCH", token: w.tenant.secretKey, body: patch });
  expect(response.status).toBe(200);
};

export const auditEvents = async (w: World): Promise<{ type: string; data: Record<string, unknown>; subject_id: string | null }[]> => {
  const response = await w.send(`${w.tenant.base}/admin/audit-events?limit=100`, { token: w.tenant.secretKey });
  expect(response.status).toBe(200);
  return (await json<{ data: { type: string; data: Record<string, unknown>; subject_id: string | null }[] }>(response)).data;
};
