/** The fast path for repeat tokens: a lookup, not a signature check, and never a way around expiry or revocation. */
import { beforeAll, describe, expect, it } from "vitest";
import type { RevocationOptions, VerifierOptions } from "./options";
import {
  claimsAt,
  codeOf,
  FakeRevocations,
  issuerVerifier,
  makeKey,
  sign,
  TENANT,
  type TestKey,
  verifyUntilCached,
} from "./test-support/fixtures";
import { TokenCache } from "./token-cache";

let key: TestKey;

beforeAll(async () => {
  key = await makeKey("EdDSA", "key_fast");
});

function setup(options: Partial<VerifierOptions> = {}, revocation: Partial<RevocationOptions> = {}) {
  const revocations = new FakeRevocations();
  const { clock, verifier } = issuerVerifier([key], { revocation: { source: revocations.source, ...revocation }, ...options });
  return { clock, revocations, verifier };
}

describe("verified-token cache", () => {
  it("admits a token on its second verification, then answers it from memory with the same frozen result", async () => {
    const { clock, verifier } = setup();
    const token = await sign(key, claimsAt(clock.ms));
    const first = await verifier.verifyAccessToken(token);
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 0, tokenCacheSize: 0 });
    const second = await verifier.verifyAccessToken(token);
    expect(second).toEqual(first);
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 0, tokenCacheSize: 1 });
    const third = await verifier.verifyAccessToken(token);
    expect(third).toBe(second);
    expect(Object.isFrozen(third) && Object.isFrozen(third.claims) && Object.isFrozen(third.scopes)).toBe(true);
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 1, tokenCacheSize: 1 });
  });

  it("a flood of distinct tokens, each seen once, leaves the cache empty", async () => {
    const { clock, verifier } = setup();
    const tokens = await Promise.all(Array.from({ length: 50 }, () => sign(key, claimsAt(clock.ms))));
    for (const token of tokens) await verifier.verifyAccessToken(token);
    expect(verifier.stats().tokenCacheSize).toBeLessThan(5);
  });

  it("still checks expiry on every hit (with the clock tolerance) and forgets expired tokens", async () => {
    const { clock, verifier } = setup();
    const token = await sign(key, claimsAt(clock.ms));
    await verifyUntilCached(verifier, token);
    clock.advance(904_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("token_expired");
    expect(verifier.stats().tokenCacheSize).toBe(0);
  });

  it("still checks revocation on every hit", async () => {
    const { clock, revocations, verifier } = setup();
    const token = await sign(key, claimsAt(clock.ms));
    await verifyUntilCached(verifier, token);
    expect(verifier.stats().tokenCacheSize).toBe(1);
    revocations.revoke(TENANT, "sessions", "ses_01", clock.ms + 3_600_000);
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("session_revoked");
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 0, tokenCacheSize: 0 });
  });

  it("keeps a hit whose revocation status is unknown, refusing it until the source answers", async () => {
    const { clock, revocations, verifier } = setup({}, { failOpenMs: 2_000 });
    const token = await sign(key, claimsAt(clock.ms));
    await verifyUntilCached(verifier, token);
    revocations.failing = true;
    clock.advance(2_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("revocation_unavailable");
    expect(verifier.stats().tokenCacheSize).toBe(1);
    revocations.failing = false;
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    expect(verifier.stats().tokenCacheHits).toBe(1);
  });

  it("is bounded: the least recently used token is dropped first", async () => {
    const { clock, verifier } = setup({ tokenCacheSize: 2 });
    const [a = "", b = "", c = ""] = await Promise.all([1, 2, 3].map(() => sign(key, claimsAt(clock.ms))));
    await verifyUntilCached(verifier, a);
    await verifyUntilCached(verifier, b);
    await verifier.verifyAccessToken(a);
    await verifyUntilCached(verifier, c);
    expect(verifier.stats()).toMatchObject({ tokenCacheSize: 2, tokenCacheHits: 1 });
    await verifier.verifyAccessToken(a);
    expect(verifier.stats().tokenCacheHits).toBe(2);
    await verifier.verifyAccessToken(b);
    expect(verifier.stats().tokenCacheHits).toBe(2);
  });

  it("can be turned off", async () => {
    const { clock, verifier } = setup({ tokenCacheSize: 0 });
    const token = await sign(key, claimsAt(clock.ms));
    for (let i = 0; i < 3; i++) await verifier.verifyAccessToken(token);
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 0, tokenCacheSize: 0 });
  });

  it("never caches a refused token", async () => {
    const { clock, verifier } = setup();
    const token = await sign(key, claimsAt(clock.ms, { aud: "https://elsewhere.example" }));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("invalid_audience");
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("invalid_audience");
    expect(verifier.stats().tokenCacheSize).toBe(0);
  });
});

describe("TokenCache", () => {
  it("admits on the second offer", () => {
    const cache = new TokenCache<number>(10);
    const token = "header.payload.c2lnbmF0dXJlLWJ5dGVzLXRoYXQtYXJlLXJhbmRvbS1lbm91Z2g";
    expect([cache.admits(token), cache.admits(token), new TokenCache<number>(0).admits(token)]).toEqual([false, true, false]);
  });

  it("needs the exact token on a hit, even when the keying suffix matches", () => {
    const cache = new TokenCache<number>(10);
    const suffix = "A".repeat(40);
    cache.set(`good.payload.${suffix}`, 1);
    expect([cache.get(`good.payload.${suffix}`), cache.get(`evil.payload.${suffix}`)]).toEqual([1, undefined]);
    cache.delete(`evil.payload.${suffix}`);
    expect(cache.size).toBe(1);
  });

  it("keeps hit entries on a full sweep and drops the first one not hit (second chance)", () => {
    const cache = new TokenCache<string>(3);
    const t = (name: string) => `${name}.${"x".repeat(40)}${name}`;
    for (const name of ["a", "b", "c"]) cache.set(t(name), name);
    cache.get(t("a"));
    cache.get(t("b"));
    cache.set(t("d"), "d");
    expect(["a", "b", "c", "d"].map((name) => cache.get(t(name)))).toEqual(["a", "b", undefined, "d"]);
    cache.set(t("e"), "e");
    expect(cache.size).toBe(3);
  });

  it("drops entries matching a predicate", () => {
    const cache = new TokenCache<number>(10);
    for (const [token, value] of [["a.token", 1], ["b.token", 2], ["c.token", 3]] as const) cache.set(token, value);
    cache.deleteWhere((value) => value !== 2);
    expect([cache.get("a.token"), cache.get("b.token"), cache.get("c.token"), cache.size]).toEqual([undefined, 2, undefined, 1]);
  });
});
