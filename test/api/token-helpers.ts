import { createKeyVault, keyVaultContext, ManualClock } from "@plinto/core";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { storageFor } from "../../workers/api/storage";
import { type CryptoKey, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import { expect } from "vitest";
import { buildApp } from "../../workers/api/app";
import { type CallOptions, call, expectProblem, json, requestFor, type TestTenant, type TokenBody } from "./helpers";

/** A request sender: `call` from helpers.ts, or one bound to an app with an injected clock. */
export type Caller = (path: string, options?: CallOptions) => Promise<Response>;

/**
 * The api worker built with a ManualClock that starts at the real time (Durable
 * Object cleanup alarms run on real time, so the clock only ever moves forward
 * from now). Time travel without sleeping: `clock.advance(ms)`.
 */
export function clockedApp(start = Date.now()) {
  const clock = new ManualClock(start);
  const app = buildApp({ clock });
  // With an execution context, so the request's after-response work runs and its Postgres client is closed.
  const send: Caller = async (path, options = {}) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(requestFor(path, options), env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  return { clock, call: send };
}

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

export const admin = (tenant: TestTenant, path: string, options: CallOptions = {}, send: Caller = call) =>
  send(`${tenant.base}/admin${path}`, { ...options, token: options.token ?? tenant.secretKey });

export const me = (tenant: TestTenant, token: string, send: Caller = call) => send(`${tenant.base}/me`, { token });

export const refresh = (tenant: TestTenant, refreshToken: string, send: Caller = call) =>
  send(`${tenant.base}/sessions/refresh`, { body: { refresh_token: refreshToken } });

/** 401 `invalid_token` problem with an RFC 6750 §3 challenge naming the error. */
export async function expectInvalidToken(response: Response) {
  const challenge = response.headers.get("WWW-Authenticate");
  const body = await expectProblem(response, 401, "invalid_token");
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain('error="invalid_token"');
  return body;
}

export async function tokensOf(response: Response): Promise<TokenBody> {
  expect(response.status).toBe(200);
  return json<TokenBody>(response);
}

export interface Jwks {
  keys: JWK[];
}

export async function getJwks(tenant: TestTenant, send: Caller = call): Promise<{ jwks: Jwks; response: Response }> {
  const response = await send(`/t/${tenant.slug}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  return { jwks: await json<Jwks>(response), response };
}

export const kidsOf = (jwks: Jwks): string[] => jwks.keys.map((key) => key.kid ?? "");

export const headerOf = (token: string) => decodeProtectedHeader(token);
export const claimsOf = (token: string) => decodeJwt(token);

/** base64url of a string or JSON value. */
export function b64url(value: unknown): string {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64urlJson(part: string): Record<string, unknown> {
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}

/** Splits a compact JWS into its three parts. */
export function partsOf(token: string): [string, string, string] {
  const [header, payload, signature] = token.split(".");
  if (header === undefined || payload === undefined || signature === undefined) throw new Error("not a compact JWS");
  return [header, payload, signature];
}

/**
 * The tenant's current private signing key, read from storage and decrypted
 * with the key-encryption secret, exactly as the worker does. Tests use it to
 * mint tokens that are correctly signed by the tenant yet defective in exactly
 * one way (typ, crit, iss, size...), so each rejection is attributable to that
 * one defect and not to a bad signature.
 */
export async function tenantSigningKey(tenant: TestTenant): Promise<{ kid: string; alg: string; privateKey: CryptoKey; publicJwk: JWK }> {
  const storage = storageFor(env);
  const key = await storage.signingKeys.getActive(tenant.id);
  if (!key) throw new Error(`tenant ${tenant.slug} has no active key`);
  const vault = await createKeyVault(env.KEY_ENCRYPTION_SECRET);
  const privateJwk = JSON.parse(await vault.decrypt(key.privateJwkEncrypted, keyVaultContext(tenant.id, key.kid))) as JWK;
  return { kid: key.kid, alg: key.alg, privateKey: (await importJWK(privateJwk, key.alg)) as CryptoKey, publicJwk: key.publicJwk };
}

export interface MintOptions {
  header?: Record<string, unknown>;
  claims?: JWTPayload & Record<string, unknown>;
  /** Claims to drop from the defaults. */
  omit?: string[];
  /** jose `crit` recognition, needed to produce a token with a `crit` header at all. */
  crit?: Record<string, boolean>;
}

/** Signs an access token with `key`, starting from the claims of `template` (a real token of the tenant). */
export async function mint(
  key: { kid: string; alg: string; privateKey: CryptoKey | Uint8Array },
  template: string,
  options: MintOptions = {},
): Promise<string> {
  const claims: Record<string, unknown> = { ...claimsOf(template), jti: crypto.randomUUID(), ...options.claims };
  for (const name of options.omit ?? []) delete claims[name];
  const header = { alg: key.alg, kid: key.kid, typ: "at+jwt", ...options.header };
  return new SignJWT(claims)
    .setProtectedHeader(header as Parameters<SignJWT["setProtectedHeader"]>[0])
    .sign(key.privateKey, options.crit ? { crit: options.crit } : undefined);
}

/** Recursively collects every object key of a JSON value. */
export function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) allKeys(item, into);
  } else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      into.add(key);
      allKeys(inner, into);
    }
  }
  return into;
}

/** JWK members that belong to a private key only (RFC 7518 §6.2.2, §6.3.2; RFC 8037 §2). */
export const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

export function expectNoPrivateParts(value: unknown): void {
  const keys = allKeys(value);
  for (const member of PRIVATE_JWK_MEMBERS) expect(keys.has(member), `private JWK member "${member}" present`).toBe(false);
}
