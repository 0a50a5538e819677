/**
 * Test doubles for @plinto/edge: keys made with jose, a fake JWKS origin
 * behind a `fetch` function, a fake revocation source and Cache API, and a
 * manual clock. Not exported from the package.
 */
import type { RevocationSnapshot } from "@plinto/contracts";
import { exportJWK, generateKeyPair, type JWK, type JWSHeaderParameters, type SignOptions, SignJWT } from "jose";
import { createVerifier, type Verifier } from "../create-verifier";
import type { FetchLike } from "../jwks/sources";
import type { VerifierOptions } from "../options";
import type { CacheLike } from "../revocation/snapshot-cache";

export const ORIGIN = "https://auth.plinto.test";
export const TENANT = "acme";
export const ISSUER = `${ORIGIN}/t/${TENANT}`;
export const issuerOf = (slug: string): string => `${ORIGIN}/t/${slug}`;
export const jwksUrlOf = (issuer: string): string => `${issuer}/.well-known/jwks.json`;

/** 2026-11-29T12:00:00Z, a whole second. */
export const T0 = Date.UTC(2026, 10, 29, 12);

export class ManualClock {
  constructor(public ms = T0) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export type TestAlg = "RS256" | "ES256" | "EdDSA";

export interface TestKey {
  kid: string;
  alg: TestAlg;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

export async function makeKey(alg: TestAlg, kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  return { kid, alg, privateKey, publicKey, publicJwk };
}

let serial = 0;

/** Claims as Plinto issues them, valid at `nowMs` for 15 minutes. */
export function claimsAt(nowMs: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const iat = Math.floor(nowMs / 1000);
  serial += 1;
  return {
    iss: ISSUER,
    sub: "usr_01",
    aud: ISSUER,
    exp: iat + 900,
    iat,
    nbf: iat,
    jti: `jti_${serial}`,
    sid: "ses_01",
    amr: ["pwd"],
    scope: "read:items write:items",
    ...overrides,
  };
}

export function sign(
  key: TestKey,
  claims: Record<string, unknown>,
  header: Partial<JWSHeaderParameters> = {},
  options?: SignOptions,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: "at+jwt", ...header })
    .sign(key.privateKey, options);
}

/** A Plinto origin serving JWKS; records every URL asked for. */
export class FakeJwksOrigin {
  readonly calls: string[] = [];
  readonly sets = new Map<string, JWK[]>();
  failing = false;

  publish(issuer: string, keys: readonly TestKey[]): void {
    this.sets.set(jwksUrlOf(issuer), keys.map((key) => key.publicJwk));
  }

  readonly fetch: FetchLike = async (url) => {
    this.calls.push(url);
    if (this.failing) return new Response("unavailable", { status: 503 });
    const keys = this.sets.get(url);
    if (!keys) return new Response("not found", { status: 404 });
    return new Response(JSON.stringify({ keys }), { headers: { "content-type": "application/json" } });
  };
}

export const emptySnapshot = (tenant: string): RevocationSnapshot => ({
  tenant,
  epoch: 0,
  generated_at: T0,
  sessions: {},
  tokens: {},
  keys: {},
});

/** The revocation source (the tenant's Durable Object in production), with a call counter. */
export class FakeRevocations {
  calls = 0;
  failing = false;
  private readonly snapshots = new Map<string, RevocationSnapshot>();

  readonly source = async (tenant: string): Promise<RevocationSnapshot> => {
    this.calls += 1;
    if (this.failing) throw new Error("revocation source down");
    return structuredClone(this.snapshots.get(tenant) ?? emptySnapshot(tenant));
  };

  revoke(tenant: string, kind: "sessions" | "tokens" | "keys", id: string, until: number): void {
    const current = this.snapshots.get(tenant) ?? emptySnapshot(tenant);
    this.snapshots.set(tenant, { ...current, epoch: current.epoch + 1, [kind]: { ...current[kind], [id]: until } });
  }
}

/** Cache API stand-in shared by "isolates" (verifiers) of one location. */
export class FakeCache implements CacheLike {
  readonly entries = new Map<string, { body: string; headers: [string, string][] }>();
  matches = 0;
  puts = 0;

  async match(request: Request): Promise<Response | undefined> {
    this.matches += 1;
    const entry = this.entries.get(request.url);
    return entry && new Response(entry.body, { headers: entry.headers });
  }

  async put(request: Request, response: Response): Promise<void> {
    this.puts += 1;
    this.entries.set(request.url, { body: await response.text(), headers: [...response.headers] });
  }
}

/** A verifier for ISSUER whose JWKS origin publishes `keys`, on a manual clock. */
export function issuerVerifier(
  keys: readonly TestKey[],
  options: Partial<VerifierOptions> = {},
  clock = new ManualClock(),
): { clock: ManualClock; origin: FakeJwksOrigin; verifier: Verifier } {
  const origin = new FakeJwksOrigin();
  origin.publish(ISSUER, keys);
  const verifier = createVerifier({ issuer: ISSUER, fetch: origin.fetch, now: clock.now, ...options });
  return { clock, origin, verifier };
}

/** Verifies `token` twice: the token cache admits a token on its second verification. */
export async function verifyUntilCached(verifier: { verifyAccessToken(token: string): Promise<unknown> }, token: string): Promise<void> {
  await verifier.verifyAccessToken(token);
  await verifier.verifyAccessToken(token);
}

/** Expects `promise` to reject with an EdgeAuthError of `code`. */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "accepted";
  } catch (error) {
    return typeof error === "object" && error !== null && "code" in error ? String(error.code) : `threw ${String(error)}`;
  }
}
