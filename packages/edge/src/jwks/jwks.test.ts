/** JWKS in isolate memory: lifetime, unknown-kid reloads with a cool-down, rotation, removal, the KV mirror. */
import { beforeAll, describe, expect, it } from "vitest";
import type { VerifierOptions } from "../options";
import { claimsAt, codeOf, ISSUER, issuerVerifier, makeKey, ManualClock, sign, type TestKey, verifyUntilCached } from "../test-support/fixtures";

let current: TestKey;
let next: TestKey;

beforeAll(async () => {
  [current, next] = await Promise.all([makeKey("ES256", "key_current"), makeKey("ES256", "key_next")]);
});

const setup = (options: Partial<VerifierOptions> = {}, clock = new ManualClock()) => issuerVerifier([current], options, clock);

describe("loading", () => {
  it("never shares a reload between requests (Workers forbid cross-request I/O): a held set serves while one request reloads", async () => {
    const { clock, origin, verifier } = setup();
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(origin.calls).toHaveLength(1);
    clock.advance(300_000); // the set's lifetime is over
    const tokens = await Promise.all(Array.from({ length: 20 }, () => sign(current, claimsAt(clock.ms))));
    await Promise.all(tokens.map((token) => verifier.verifyAccessToken(token)));
    expect(origin.calls).toHaveLength(2);
  });

  it("reloads when the JWKS lifetime ends (default 5 minutes)", async () => {
    const { clock, origin, verifier } = setup();
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    clock.advance(299_000);
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(origin.calls).toHaveLength(1);
    clock.advance(1_000);
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(origin.calls).toHaveLength(2);
  });

  it("answers jwks_unavailable when the first load fails, and retries only after the cool-down", async () => {
    const { clock, origin, verifier } = setup();
    origin.failing = true;
    const token = await sign(current, claimsAt(clock.ms));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("jwks_unavailable");
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("jwks_unavailable");
    expect(origin.calls).toHaveLength(1);
    origin.failing = false;
    clock.advance(30_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    expect(origin.calls).toHaveLength(2);
  });

  it("keeps the last key set when a reload fails", async () => {
    const { clock, origin, verifier } = setup();
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    origin.failing = true;
    clock.advance(300_000);
    expect(await codeOf(verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms))))).toBe("accepted");
    expect(origin.calls).toHaveLength(2);
  });

  it("treats an unknown tenant (404) as an empty key set", async () => {
    const { clock, verifier } = setup({ issuer: "https://auth.plinto.test/t/nobody" });
    const token = await sign(current, claimsAt(clock.ms, { iss: "https://auth.plinto.test/t/nobody" }));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unknown_key");
  });

  it("ignores keys a verifier must not use: symmetric, private, without alg, for encryption, duplicated kid", async () => {
    const { clock, origin, verifier } = setup();
    const jwk = current.publicJwk;
    origin.sets.set(`${ISSUER}/.well-known/jwks.json`, [
      { kty: "oct", k: "c2VjcmV0", kid: "k_oct", alg: "HS256" },
      { ...jwk, kid: "k_noalg", alg: undefined },
      { ...jwk, kid: "k_enc", use: "enc" },
      { ...jwk, kid: "k_hs", alg: "HS256" },
      { ...jwk, kid: "k_dup" },
      { ...jwk, kid: "k_dup" },
      { ...jwk, kid: "k_private", d: "AAAA" },
      { ...jwk, kid: "k_wrong_kty", alg: "RS256" },
    ]);
    for (const kid of ["k_oct", "k_noalg", "k_enc", "k_hs", "k_dup", "k_private", "k_wrong_kty"]) {
      const token = await sign({ ...current, kid }, claimsAt(clock.ms));
      expect(await codeOf(verifier.verifyAccessToken(token)), kid).toBe("unknown_key");
    }
  });
});

describe("unknown kid", () => {
  it("a flood of random kids reloads at most once per cool-down (30 s)", async () => {
    const { clock, origin, verifier } = setup();
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    const flood = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sign({ ...current, kid: `random_${i}` }, claimsAt(clock.ms))),
    );
    for (const token of flood) expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unknown_key");
    expect(origin.calls).toHaveLength(2);
    clock.advance(29_000);
    for (const token of flood) await codeOf(verifier.verifyAccessToken(token));
    expect(origin.calls).toHaveLength(2);
    clock.advance(1_000);
    await Promise.all(flood.map((token) => codeOf(verifier.verifyAccessToken(token))));
    expect(origin.calls).toHaveLength(3);
  });

  it("picks up a rotated key (new kid) on its first token", async () => {
    const { clock, origin, verifier } = setup();
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    origin.publish(ISSUER, [current, next]);
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(await sign(next, claimsAt(clock.ms))))).toBe("accepted");
    expect(verifier.stats().jwksLoads).toBe(2);
  });

  it("a cold verifier that loads a set without the kid does not load it twice", async () => {
    const { clock, origin, verifier } = setup();
    expect(await codeOf(verifier.verifyAccessToken(await sign(next, claimsAt(clock.ms))))).toBe("unknown_key");
    expect(origin.calls).toHaveLength(1);
  });
});

describe("removed keys", () => {
  it("drops cached tokens of a kid the reload no longer lists, at once", async () => {
    const { clock, origin, verifier } = setup();
    origin.publish(ISSUER, [current, next]);
    const oldToken = await sign(current, claimsAt(clock.ms));
    await verifyUntilCached(verifier, oldToken);
    await verifier.verifyAccessToken(oldToken);
    expect(verifier.stats()).toMatchObject({ tokenCacheHits: 1, tokenCacheSize: 1 });
    origin.publish(ISSUER, [next]);
    clock.advance(300_000);
    await verifier.verifyAccessToken(await sign(next, claimsAt(clock.ms)));
    expect(verifier.stats().tokenCacheSize).toBe(0);
    expect(await codeOf(verifier.verifyAccessToken(oldToken))).toBe("unknown_key");
  });

  it("a cached token is refused after its key disappears in the reload its own hit triggers", async () => {
    const { clock, origin, verifier } = setup();
    const token = await sign(current, claimsAt(clock.ms));
    await verifyUntilCached(verifier, token);
    expect(verifier.stats().tokenCacheSize).toBe(1);
    origin.publish(ISSUER, [next]);
    clock.advance(300_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unknown_key");
    expect(verifier.stats().tokenCacheSize).toBe(0);
  });

  it("re-imports a kid whose key material changed and refuses tokens of the old material", async () => {
    const { clock, origin, verifier } = setup();
    const token = await sign(current, claimsAt(clock.ms));
    await verifyUntilCached(verifier, token);
    origin.publish(ISSUER, [{ ...next, kid: current.kid, publicJwk: { ...next.publicJwk, kid: current.kid } }]);
    clock.advance(300_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("invalid_signature");
  });
});

describe("KV mirror (JWKS_CACHE)", () => {
  function kvWith(entries: Record<string, unknown>) {
    const reads: string[] = [];
    return {
      reads,
      kv: {
        get: async (key: string, type: "json") => {
          reads.push(`${type}:${key}`);
          return entries[key] ?? null;
        },
      },
    };
  }

  it("reads jwks:{tenant} from KV and does not fetch while it is valid", async () => {
    const { kv, reads } = kvWith({ "jwks:acme": { jwks: { keys: [current.publicJwk] }, valid_until: null } });
    const { clock, origin, verifier } = setup({ kv });
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(reads).toEqual(["json:jwks:acme"]);
    expect(origin.calls).toEqual([]);
  });

  it("falls back to the JWKS URL when the mirror is past valid_until or lacks the kid", async () => {
    const clock = new ManualClock();
    const stale = kvWith({ "jwks:acme": { jwks: { keys: [current.publicJwk] }, valid_until: clock.ms - 1 } });
    const a = setup({ kv: stale.kv }, clock);
    await a.verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(a.origin.calls).toHaveLength(1);

    const lagging = kvWith({ "jwks:acme": { jwks: { keys: [current.publicJwk] }, valid_until: null } });
    const b = setup({ kv: lagging.kv }, clock);
    b.origin.publish(ISSUER, [current, next]);
    await b.verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(await codeOf(b.verifier.verifyAccessToken(await sign(next, claimsAt(clock.ms))))).toBe("accepted");
    expect(b.origin.calls).toHaveLength(1);
  });

  it("reloads a mirrored set when its valid_until passes, before the lifetime", async () => {
    const clock = new ManualClock();
    const { kv, reads } = kvWith({ "jwks:acme": { jwks: { keys: [current.publicJwk] }, valid_until: clock.ms + 60_000 } });
    const { verifier } = setup({ kv, jwksUrl: false }, clock);
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    clock.advance(59_000);
    await verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms)));
    expect(reads).toHaveLength(1);
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(await sign(current, claimsAt(clock.ms))))).toBe("unknown_key");
    expect(reads).toHaveLength(2);
  });
});
