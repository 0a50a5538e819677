import { describe, expect, it } from "vitest";
import { decodeAdaptedBase64, decodePaddedBase64, decodePhcBase64 } from "./base64";
import { parseDecimal, parsePhc } from "./phc";

describe("parsePhc", () => {
  it("splits id, version, parameters, salt and hash", () => {
    const phc = parsePhc("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA");
    expect(phc).toMatchObject({ id: "argon2id", version: 19, salt: "c2FsdHNhbHQ", hash: "aGFzaA" });
    expect(Object.fromEntries(phc!.params)).toEqual({ m: "19456", t: "2", p: "1" });
  });

  it("accepts optional parts", () => {
    expect(parsePhc("$scrypt$ln=1,r=2,p=3$c2FsdA$aGFzaA")).toMatchObject({ id: "scrypt", version: undefined });
    expect(parsePhc("$foo")).toMatchObject({ id: "foo", salt: undefined, hash: undefined });
  });

  it.each([
    "",
    "argon2id$v=19",
    "$",
    "$UPPER$x",
    "$id$v=$c2FsdA",
    "$id$v=-1$c2FsdA",
    "$id$a=1,a=2$c2FsdA",
    "$id$a=1,=2$c2FsdA",
    "$id$a=1$salt with space$hash",
    "$id$a=1$c2FsdA$aGFzaA$extra",
    "$id$" + "a".repeat(600),
  ])("refuses %j", (text) => {
    expect(parsePhc(text)).toBeNull();
  });
});

describe("parseDecimal", () => {
  it.each([["0", 0], ["19456", 19456], ["4294967295", 4294967295]])("reads %s", (text, value) => {
    expect(parseDecimal(text)).toBe(value);
  });
  it.each(["", "01", "+1", "-1", "1.0", "1e3", " 1", "4294967296", "99999999999", undefined])("refuses %j", (text) => {
    expect(parseDecimal(text)).toBeNull();
  });
});

describe("base64 variants", () => {
  const bytes = (text: string) => Array.from(new TextEncoder().encode(text));
  it("decodes each alphabet", () => {
    expect(Array.from(decodePhcBase64("c2FsdA")!)).toEqual(bytes("salt"));
    expect(Array.from(decodeAdaptedBase64("0ZrzXitFSGltTQnBWOsdAw")!)).toHaveLength(16);
    expect(Array.from(decodePaddedBase64("c2FsdA==")!)).toEqual(bytes("salt"));
    expect(Array.from(decodeAdaptedBase64("..")!)).toEqual(Array.from(decodePhcBase64("++")!));
  });
  it("refuses characters and lengths outside each variant", () => {
    expect(decodePhcBase64("c2FsdA==")).toBeNull();
    expect(decodePhcBase64("c2Fsd")).toBeNull();
    expect(decodePhcBase64("c2F-dA")).toBeNull();
    expect(decodeAdaptedBase64("c2F+dA")).toBeNull();
    expect(decodePaddedBase64("c2FsdA")).toBeNull();
    expect(decodePaddedBase64("c2Fs=dA=")).toBeNull();
  });
});
