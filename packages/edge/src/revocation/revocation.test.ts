/** Revocation at the edge: memory for maxAgeMs, then the Cache API, then the source; bounded fail-open. */
import { beforeAll, describe, expect, it } from "vitest";
import type { RevocationOptions } from "../options";
import {
  claimsAt,
  codeOf,
  FakeCache,
  FakeRevocations,
  issuerVerifier,
  makeKey,
  ManualClock,
  sign,
  TENANT,
  type TestKey,
  verifyUntilCached,
} from "../test-support/fixtures";

let key: TestKey;

beforeAll(async () => {
  key = await makeKey("RS256", "key_rev");
});

/** One verifier per "isolate"; isolates of a location share `cache` and the clock. */
const isolate = (clock: ManualClock, revocations: FakeRevocations, options: Partial<RevocationOptions> = {}) =>
  issuerVerifier([key], { revocation: { source: revocations.source, ...options } }, clock).verifier;

const tokenAt = (clock: ManualClock, overrides: Record<string, unknown> = {}) => sign(key, claimsAt(clock.ms, overrides));
const inAnHour = (clock: ManualClock) => clock.ms + 3_600_000;

describe("revoked tokens", () => {
  it("refuses a revoked session, token id or signing key, first-seen or cached", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations);
    const bySession = await tokenAt(clock, { sid: "ses_gone" });
    const byId = await tokenAt(clock, { jti: "jti_gone" });
    await verifyUntilCached(verifier, bySession);
    await verifyUntilCached(verifier, byId);
    expect(verifier.stats().tokenCacheSize).toBe(2);
    revocations.revoke(TENANT, "sessions", "ses_gone", inAnHour(clock));
    revocations.revoke(TENANT, "tokens", "jti_gone", inAnHour(clock));
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(bySession))).toBe("session_revoked");
    expect(await codeOf(verifier.verifyAccessToken(byId))).toBe("token_revoked");
    expect(await codeOf(verifier.verifyAccessToken(await tokenAt(clock, { sid: "ses_gone" })))).toBe("session_revoked");
    const unaffected = await tokenAt(clock);
    await verifyUntilCached(verifier, unaffected);
    expect(verifier.stats().tokenCacheSize).toBe(1);
    revocations.revoke(TENANT, "keys", key.kid, inAnHour(clock));
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(unaffected))).toBe("key_revoked");
    expect(await codeOf(verifier.verifyAccessToken(await tokenAt(clock)))).toBe("key_revoked");
    expect(verifier.stats().tokenCacheSize).toBe(0);
  });

  it("an entry stops applying once its `until` (plus the clock tolerance) has passed", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    revocations.revoke(TENANT, "sessions", "ses_old", clock.ms + 10_000);
    const verifier = isolate(clock, revocations);
    const token = await tokenAt(clock, { sid: "ses_old", exp: Math.floor(clock.ms / 1000) + 3_600 });
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("session_revoked");
    clock.advance(14_999);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("session_revoked");
    clock.advance(1);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
  });

  it("revokes a client-credentials token (no sid) by its jti only", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations);
    const machine = (jti: string) => tokenAt(clock, { sid: undefined, sub: "cli_01", client_id: "cli_01", jti });
    const token = await machine("jti_machine");
    await verifyUntilCached(verifier, token);
    revocations.revoke(TENANT, "sessions", "ses_01", inAnHour(clock));
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    revocations.revoke(TENANT, "tokens", "jti_machine", inAnHour(clock));
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("token_revoked");
    expect(await codeOf(verifier.verifyAccessToken(await machine("jti_other")))).toBe("accepted");
  });

  it("ignores inherited property names as ids", async () => {
    const clock = new ManualClock();
    const verifier = isolate(clock, new FakeRevocations());
    for (const sid of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
      expect(await codeOf(verifier.verifyAccessToken(await tokenAt(clock, { sid, jti: sid }))), sid).toBe("accepted");
    }
  });
});

describe("propagation through memory, the Cache API and the source", () => {
  it("serves a snapshot from memory for maxAgeMs (1 s), so a revocation is seen within that bound", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations);
    const token = await tokenAt(clock);
    await verifier.verifyAccessToken(token);
    revocations.revoke(TENANT, "sessions", "ses_01", inAnHour(clock));
    clock.advance(999);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    clock.advance(1);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("session_revoked");
    expect(revocations.calls).toBe(2);
  });

  it("counts memory -> cache -> source in that order across isolates of one location", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const cache = new FakeCache();
    const first = isolate(clock, revocations, { cache });
    const second = isolate(clock, revocations, { cache });
    const token = await tokenAt(clock);

    await first.verifyAccessToken(token);
    expect(first.stats()).toMatchObject({ sourceCalls: 1, cacheHits: 0, memoryHits: 0 });
    await first.verifyAccessToken(token);
    expect(first.stats()).toMatchObject({ sourceCalls: 1, cacheHits: 0, memoryHits: 1 });

    clock.advance(400);
    await second.verifyAccessToken(token);
    expect(second.stats()).toMatchObject({ sourceCalls: 0, cacheHits: 1, memoryHits: 0 });
    expect(revocations.calls).toBe(1);

    // The cached copy counts its age from the source call: both isolates go stale together.
    clock.advance(600);
    await second.verifyAccessToken(token);
    await first.verifyAccessToken(token);
    expect(second.stats()).toMatchObject({ sourceCalls: 1, cacheHits: 1 });
    expect(first.stats()).toMatchObject({ sourceCalls: 1, cacheHits: 1, memoryHits: 1 });
    expect(revocations.calls).toBe(2);
    expect(cache.puts).toBe(2);
  });

  it("makes one source call per maxAgeMs however many verifications (of 10 000, 10 reach the source)", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations, { cache: new FakeCache() });
    const tokens = await Promise.all(Array.from({ length: 10 }, () => tokenAt(clock)));
    for (let i = 0; i < 10_000; i++) {
      await verifier.verifyAccessToken(tokens[i % tokens.length] ?? "");
      clock.advance(1);
    }
    expect(revocations.calls).toBe(10);
    expect(verifier.stats()).toMatchObject({ sourceCalls: 10, memoryHits: 9_990 });
  });

  it("never makes a request wait on another request's refresh (Workers forbid cross-request I/O): the others use the held snapshot", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations);
    await verifier.verifyAccessToken(await tokenAt(clock));
    expect(revocations.calls).toBe(1);
    clock.advance(1_500); // stale, but within two lifetimes
    const tokens = await Promise.all(Array.from({ length: 25 }, () => tokenAt(clock)));
    await Promise.all(tokens.map((token) => verifier.verifyAccessToken(token)));
    expect(revocations.calls).toBe(2);
  });

  it("ignores a cached copy that is too old or older than the one in memory", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const cache = new FakeCache();
    const first = isolate(clock, revocations, { cache });
    await first.verifyAccessToken(await tokenAt(clock));
    clock.advance(1_000);
    const late = isolate(clock, revocations, { cache });
    await late.verifyAccessToken(await tokenAt(clock));
    expect(late.stats()).toMatchObject({ sourceCalls: 1, cacheHits: 0 });
  });
});

describe("source failure", () => {
  it("keeps the last snapshot for failOpenMs (30 s), retrying once per maxAgeMs, then refuses with revocation_unavailable", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations);
    const token = await tokenAt(clock);
    await verifier.verifyAccessToken(token);
    revocations.failing = true;
    for (let elapsed = 1_000; elapsed < 30_000; elapsed += 250) {
      clock.advance(250);
      expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    }
    expect(revocations.calls).toBeLessThanOrEqual(30);
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("revocation_unavailable");
    expect(await codeOf(verifier.verifyAccessToken(await tokenAt(clock)))).toBe("revocation_unavailable");
    revocations.failing = false;
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
  });

  it("refuses everything while no snapshot was ever loaded", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    revocations.failing = true;
    const verifier = isolate(clock, revocations);
    expect(await codeOf(verifier.verifyAccessToken(await tokenAt(clock)))).toBe("revocation_unavailable");
  });

  it("counts a source that does not answer within timeoutMs as failed", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    let hang = false;
    const source = (tenant: string) => (hang ? new Promise<never>(() => {}) : revocations.source(tenant));
    const { verifier } = issuerVerifier([key], { revocation: { source, timeoutMs: 20 } }, clock);
    const token = await tokenAt(clock);
    await verifier.verifyAccessToken(token);
    hang = true;
    clock.advance(1_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    clock.advance(30_000);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("revocation_unavailable");
  });

  it("honours a shorter failOpenMs", async () => {
    const clock = new ManualClock();
    const revocations = new FakeRevocations();
    const verifier = isolate(clock, revocations, { failOpenMs: 2_000 });
    const token = await tokenAt(clock);
    await verifier.verifyAccessToken(token);
    revocations.failing = true;
    clock.advance(1_999);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("accepted");
    clock.advance(1);
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("revocation_unavailable");
  });
});

describe("Workers Cache API", () => {
  it("shares a snapshot between two verifiers through caches.default", async () => {
    const clock = new ManualClock(Date.now());
    const revocations = new FakeRevocations();
    const options = { cache: caches.default, cacheKeyUrl: () => `https://edge-test.plinto.test/revocations/${crypto.randomUUID()}` };
    const key = options.cacheKeyUrl();
    const shared = { ...options, cacheKeyUrl: () => key };
    const first = isolate(clock, revocations, shared);
    const second = isolate(clock, revocations, shared);
    await first.verifyAccessToken(await tokenAt(clock));
    await second.verifyAccessToken(await tokenAt(clock));
    expect(revocations.calls).toBe(1);
    expect(second.stats().cacheHits).toBe(1);
  });
});
