import { describe, expect, it } from "vitest";
import { ARGON2ID_PARAMS, hashArgon2id, parseArgon2, verifyArgon2, verifyArgon2Dummy } from "./argon2id";

const PASSWORD = "correct horse battery staple";

/**
 * Known answers from an independent implementation: @noble/hashes argon2
 * (pure JavaScript) in Node, salt "plinto-test-salt", 32-byte output.
 */
const NOBLE = {
  argon2id: "$argon2id$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$dKBgS0Ovp1n6A/OlGLDzGm2ubA9AAgRsHNm+f+/Rlr0",
  argon2i: "$argon2i$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$KAxrPeLpNk3WvG297151EewBlAm+SQd5p0l3VV+Xpao",
  argon2d: "$argon2d$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$k76sgGYjuCyU+kmp5b6O2vpoOt6FtbCDKTmwLDlJyuA",
  /** Version 0x10 strings carry no `v=`. */
  argon2idV10: "$argon2id$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$OeR95dvIyS47dMak4rg9BFhjjWC7Qs5jxOmys9Ha0eo",
  /** Stronger than ours (t=3): verifies without rehash. */
  stronger: "$argon2id$v=19$m=19456,t=3,p=1$cGxpbnRvLXRlc3Qtc2FsdA$ZfZXqwLflFFuVlt8ty9ZACOzRhCDcRFdfTqJGUATI5g",
  /** Password "漢字漢字漢字" (18 UTF-8 bytes, 6 UTF-16 units). */
  kanji: "$argon2id$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$c2I3P8/pC0U+/GMQz+KCUL6mVWm2GoxXWXDO+b1WNHE",
  /** Password "café" in NFC. */
  cafe: "$argon2id$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$Ly3vNG9/UA5OXcIcYQOc+D/nIx1dEQS5j4BdiZdvN0I",
};

describe("argon2id at the current parameters", () => {
  it("hashes to a PHC string that verifies, and rejects a wrong password", async () => {
    const stored = await hashArgon2id(PASSWORD);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await verifyArgon2(stored, PASSWORD)).toEqual({ ok: true, needsRehash: false });
    expect(await verifyArgon2(stored, PASSWORD + "!")).toEqual({ ok: false, needsRehash: false });
  });

  it("exports the parameters it hashes with", () => {
    expect(ARGON2ID_PARAMS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1, saltLength: 16, hashLength: 32 });
  });

  it("verifies a stronger hash without asking for a rehash", async () => {
    expect(await verifyArgon2(NOBLE.stronger, PASSWORD)).toEqual({ ok: true, needsRehash: false });
  });

  it("verifies against the dummy hash without throwing", async () => {
    await expect(verifyArgon2Dummy(PASSWORD)).resolves.toBeUndefined();
  });
});

describe("argon2 hashes from another implementation", () => {
  it.each(["argon2id", "argon2i", "argon2d", "argon2idV10"] as const)("%s verifies and asks for a rehash", async (name) => {
    expect(await verifyArgon2(NOBLE[name], PASSWORD)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyArgon2(NOBLE[name], "Correct horse battery staple")).toEqual({ ok: false, needsRehash: false });
  });

  it("hashes every UTF-8 byte of a non-ASCII password", async () => {
    // @phi-ag/argon2's own class would hash only the first 6 bytes and accept the second.
    expect((await verifyArgon2(NOBLE.kanji, "漢字漢字漢字")).ok).toBe(true);
    expect((await verifyArgon2(NOBLE.kanji, "漢字AAAA")).ok).toBe(false);
  });

  it("normalises with NFKC before verifying", async () => {
    expect((await verifyArgon2(NOBLE.cafe, "cafe\u0301")).ok).toBe(true); // decomposed é
    expect((await verifyArgon2(NOBLE.cafe, "cafe")).ok).toBe(false);
  });

  it("treats a tampered hash as a wrong password", async () => {
    const tampered = NOBLE.argon2id.replace("dKBg", "dKBh");
    expect(await verifyArgon2(tampered, PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });
});

describe("argon2 limits and malformed strings", () => {
  const salt = "cGxpbnRvLXRlc3Qtc2FsdA";
  const hash = "dKBgS0Ovp1n6A/OlGLDzGm2ubA9AAgRsHNm+f+/Rlr0";

  it.each([
    ["memory over 64 MiB", `$argon2id$v=19$m=4194304,t=1,p=1$${salt}$${hash}`],
    ["memory × passes over the bound", `$argon2id$v=19$m=65536,t=5,p=1$${salt}$${hash}`],
    ["too many lanes", `$argon2id$v=19$m=65536,t=1,p=64$${salt}$${hash}`],
    ["zero passes", `$argon2id$v=19$m=256,t=0,p=1$${salt}$${hash}`],
    ["unknown version", `$argon2id$v=20$m=256,t=1,p=1$${salt}$${hash}`],
    ["missing hash", `$argon2id$v=19$m=256,t=1,p=1$${salt}`],
    ["extra parameter", `$argon2id$v=19$m=256,t=1,p=1,k=2$${salt}$${hash}`],
    ["parameter twice", `$argon2id$v=19$m=256,m=256,t=1$${salt}$${hash}`],
    ["leading zero", `$argon2id$v=19$m=0256,t=1,p=1$${salt}$${hash}`],
    ["short salt", `$argon2id$v=19$m=256,t=1,p=1$c2FsdA$${hash}`],
    ["bad base64", `$argon2id$v=19$m=256,t=1,p=1$${salt}$${hash}*`],
    ["trailing field", `$argon2id$v=19$m=256,t=1,p=1$${salt}$${hash}$x`],
  ])("refuses %s without computing", async (_, stored) => {
    expect(parseArgon2(stored)).toBeNull();
    expect(await verifyArgon2(stored, PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });

  it("lets the C decoder refuse what it does not accept", async () => {
    // Our parser allows any parameter order; the reference decoder wants m,t,p.
    const reordered = `$argon2id$v=19$t=1,m=256,p=1$${salt}$${hash}`;
    expect(await verifyArgon2(reordered, PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });
});
