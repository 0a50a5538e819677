/** Origin mode: the tenant comes from `iss`, only under the configured origin (DESIGN.md "Tokens"). */
import { slugSchema } from "@plinto/contracts";
import { beforeAll, describe, expect, it } from "vitest";
import { createVerifier } from "./create-verifier";
import type { VerifierOptions } from "./options";
import { isTenantSlug } from "./tenants";
import {
  claimsAt,
  codeOf,
  FakeJwksOrigin,
  issuerOf,
  jwksUrlOf,
  makeKey,
  ManualClock,
  ORIGIN,
  sign,
  type TestKey,
  verifyUntilCached,
} from "./test-support/fixtures";

let acmeKey: TestKey;
let globexKey: TestKey;

beforeAll(async () => {
  [acmeKey, globexKey] = await Promise.all([makeKey("RS256", "key_acme"), makeKey("ES256", "key_globex")]);
});

function setup(options: Partial<VerifierOptions> = {}) {
  const clock = new ManualClock();
  const origin = new FakeJwksOrigin();
  origin.publish(issuerOf("acme"), [acmeKey]);
  origin.publish(issuerOf("globex"), [globexKey]);
  const verifier = createVerifier({ origin: ORIGIN, fetch: origin.fetch, now: clock.now, ...options });
  const tokenFor = (key: TestKey, slug: string, overrides: Record<string, unknown> = {}) =>
    sign(key, claimsAt(clock.ms, { iss: issuerOf(slug), aud: issuerOf(slug), ...overrides }));
  return { clock, origin, verifier, tokenFor };
}

describe("origin mode", () => {
  it("verifies tokens of several tenants against each tenant's own JWKS", async () => {
    const { origin, verifier, tokenFor } = setup();
    await expect(verifier.verifyAccessToken(await tokenFor(acmeKey, "acme"))).resolves.toMatchObject({ tenant: "acme" });
    await expect(verifier.verifyAccessToken(await tokenFor(globexKey, "globex"))).resolves.toMatchObject({ tenant: "globex" });
    expect(origin.calls).toEqual([jwksUrlOf(issuerOf("acme")), jwksUrlOf(issuerOf("globex"))]);
  });

  it("refuses a foreign iss host without fetching anything from it", async () => {
    const { origin, verifier, tokenFor } = setup();
    for (const iss of ["https://evil.example/t/acme", "https://auth.plinto.test.evil.example/t/acme", "http://auth.plinto.test/t/acme"]) {
      const token = await tokenFor(acmeKey, "acme", { iss });
      expect(await codeOf(verifier.verifyAccessToken(token)), iss).toBe("invalid_issuer");
    }
    expect(origin.calls).toEqual([]);
  });

  it("refuses an iss whose tenant part is not a valid slug", async () => {
    const { origin, verifier, tokenFor } = setup();
    for (const slug of ["ACME", "acme/x", "../acme", "a", "acme-", "acme?x=1", "acme#x", ""]) {
      const token = await tokenFor(acmeKey, "acme", { iss: `${ORIGIN}/t/${slug}` });
      expect(await codeOf(verifier.verifyAccessToken(token)), slug).toBe("invalid_issuer");
    }
    expect(origin.calls).toEqual([]);
  });

  it("refuses a token signed with one tenant's key that names another tenant", async () => {
    const { verifier, tokenFor } = setup();
    await verifier.verifyAccessToken(await tokenFor(acmeKey, "acme"));
    expect(await codeOf(verifier.verifyAccessToken(await tokenFor(acmeKey, "globex")))).toBe("invalid_issuer");
  });

  it("keeps tenants apart when two publish the same kid", async () => {
    const { origin, verifier, tokenFor } = setup();
    const twin = { ...globexKey, kid: acmeKey.kid, publicJwk: { ...globexKey.publicJwk, kid: acmeKey.kid } };
    origin.publish(issuerOf("globex"), [twin]);
    await expect(verifier.verifyAccessToken(await tokenFor(acmeKey, "acme"))).resolves.toMatchObject({ tenant: "acme" });
    await expect(verifier.verifyAccessToken(await tokenFor(twin, "globex"))).resolves.toMatchObject({ tenant: "globex" });
    await expect(verifier.verifyAccessToken(await tokenFor(acmeKey, "acme"))).resolves.toMatchObject({ tenant: "acme" });
    expect(await codeOf(verifier.verifyAccessToken(await tokenFor(twin, "acme")))).toBe("unsupported_algorithm");
  });

  it("accepts only allowed tenants when `tenants` is given", async () => {
    const { origin, verifier, tokenFor } = setup({ tenants: ["acme"] });
    await verifier.verifyAccessToken(await tokenFor(acmeKey, "acme"));
    expect(await codeOf(verifier.verifyAccessToken(await tokenFor(globexKey, "globex")))).toBe("invalid_issuer");
    expect(origin.calls).toEqual([jwksUrlOf(issuerOf("acme"))]);
  });

  it("holds at most maxTenants tenants, dropping the oldest with its cached tokens", async () => {
    const { verifier, tokenFor } = setup({ maxTenants: 1 });
    const acmeToken = await tokenFor(acmeKey, "acme");
    await verifyUntilCached(verifier, acmeToken);
    expect(verifier.stats().tokenCacheSize).toBe(1);
    await verifyUntilCached(verifier, await tokenFor(globexKey, "globex"));
    expect(verifier.stats().tokenCacheSize).toBe(1);
    await expect(verifier.verifyAccessToken(acmeToken)).resolves.toMatchObject({ tenant: "acme" });
    expect(verifier.stats().jwksLoads).toBe(3);
  });

  it("refuses configurations that could fetch keys from the wrong place", () => {
    expect(() => createVerifier({})).toThrow(TypeError);
    expect(() => createVerifier({ issuer: issuerOf("acme"), origin: ORIGIN })).toThrow(TypeError);
    expect(() => createVerifier({ origin: `${ORIGIN}/path` })).toThrow(TypeError);
    expect(() => createVerifier({ origin: ORIGIN, jwksUrl: `${ORIGIN}/t/acme/.well-known/jwks.json` })).toThrow(TypeError);
    expect(() => createVerifier({ origin: `${ORIGIN}/` })).not.toThrow();
  });
});

describe("tenant slugs", () => {
  it("match the rule of slugSchema in @plinto/contracts", () => {
    const samples = ["acme", "a1b", "my-company", "a", "ab", "ABC", "-acme", "acme-", "a--b", "x".repeat(40), "x".repeat(41), "ac_me", "acmé", "ac me"];
    for (const sample of samples) expect(isTenantSlug(sample), sample).toBe(slugSchema.safeParse(sample).success);
  });
});
