import { describe, expect, it } from "vitest";
import { hotpCode, matchTotpStep, newTotpSecret, totpCode, totpStep, totpUri } from "./totp";

/** The RFC test key: ASCII "12345678901234567890" (RFC 4226 Appendix D, RFC 6238 Appendix B, SHA-1), in base32. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

describe("HOTP (RFC 4226 Appendix D)", () => {
  const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
  it.each(expected.map((code, counter) => [counter, code] as const))("counter %i -> %s", (counter, code) => {
    expect(hotpCode(RFC_SECRET, counter)).toBe(code);
  });
});

describe("TOTP (RFC 6238 Appendix B, SHA-1, 8 digits)", () => {
  const vectors = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ] as const;
  it.each(vectors)("T = %i -> %s", (seconds, code) => {
    expect(totpCode(RFC_SECRET, seconds * 1000, { digits: 8 })).toBe(code);
    // The verifier finds the same code in the step of T.
    expect(matchTotpStep(RFC_SECRET, code, seconds * 1000, { digits: 8 })).toBe(Math.floor(seconds / 30));
  });
});

describe("matchTotpStep", () => {
  const secret = newTotpSecret();
  const now = Date.UTC(2026, 10, 29, 12, 0, 10);
  const step = totpStep(now);

  it("accepts the current step and one step either side, naming the step matched (RFC 6238 §5.2)", () => {
    expect(matchTotpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(matchTotpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(matchTotpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
  });

  it("refuses codes two steps away", () => {
    const early = totpCode(secret, now - 60_000);
    const late = totpCode(secret, now + 60_000);
    // A code could collide with a window code by chance (1 in 10^6); skip that case rather than flake.
    const inWindow = [-1, 0, 1].map((d) => totpCode(secret, now + d * 30_000));
    if (!inWindow.includes(early)) expect(matchTotpStep(secret, early, now)).toBeNull();
    if (!inWindow.includes(late)) expect(matchTotpStep(secret, late, now)).toBeNull();
  });

  it("refuses malformed codes before any HMAC", () => {
    for (const code of ["", "12345", "1234567", "12345a", " 123456", "１２３４５６"]) {
      expect(matchTotpStep(secret, code, now)).toBeNull();
    }
  });

  it("replay: a code used once names the same step, so a caller that keeps the last step refuses it", () => {
    const code = totpCode(secret, now);
    let lastUsed: number | null = null;
    const accept = (at: number) => {
      const matched = matchTotpStep(secret, code, at);
      if (matched === null || (lastUsed !== null && matched <= lastUsed)) return false;
      lastUsed = matched;
      return true;
    };
    expect(accept(now)).toBe(true);
    expect(accept(now + 1_000)).toBe(false);
    expect(accept(now + 30_000)).toBe(false);
  });

  it("secrets are 160-bit base32 and the key URI carries the parameters", () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, "Acme", "ada@example.com"));
    expect(uri.protocol).toBe("otpauth:");
    expect(uri.host).toBe("totp");
    expect(decodeURIComponent(uri.pathname)).toBe("/Acme:ada@example.com");
    expect(Object.fromEntries(uri.searchParams)).toMatchObject({ secret, issuer: "Acme", algorithm: "SHA1", digits: "6", period: "30" });
  });
});
