import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical-json";

/** The IEEE 754 double whose bits are `hex` (RFC 8785 Appendix B lists its samples that way). */
function double(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe("canonicalJson (RFC 8785)", () => {
  it("§3.2.2: serialises the sample of §3.2.2 (numbers, string escaping, literals) exactly as the RFC prints it", () => {
    // The §3.2.2 input, written as the JSON text the RFC shows so its escapes are parsed, not typed by hand.
    const input: unknown = JSON.parse(
      String.raw`{
        "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
        "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
        "literals": [null, true, false]
      }`,
    );
    expect(canonicalJson(input)).toBe(
      String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`,
    );
  });

  // RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialisation.
  const appendixB: [string, string][] = [
    ["0000000000000000", "0"],
    ["8000000000000000", "0"], // -0
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ];
  it.each(appendixB)("Appendix B: the double 0x%s serialises as %s", (hex, expected) => {
    expect(canonicalJson(double(hex))).toBe(expected);
    expect(canonicalJson([double(hex)])).toBe(`[${expected}]`);
  });

  it("§3.2.2.3: numbers written in other forms come out in the shortest ECMAScript form", () => {
    expect(canonicalJson([1e21, 1e-7, -0, 1e30, 1e20, 1e-6, 100, 0.1, -1.5e-9, 123456789012345680000])).toBe(
      "[1e+21,1e-7,0,1e+30,100000000000000000000,0.000001,100,0.1,-1.5e-9,123456789012345680000]",
    );
  });

  it.each([NaN, Infinity, -Infinity, double("7fffffffffffffff"), double("7ff0000000000000")])(
    "§3.2.2.3: refuses the non-finite number %s, also nested",
    (value) => {
      expect(() => canonicalJson(value)).toThrow(TypeError);
      expect(() => canonicalJson({ a: [1, { b: value }] })).toThrow(/finite/);
    },
  );

  it("§3.2.2.2: escapes only the quote, backslash and control characters, lower-case hex, short forms where JSON has them", () => {
    const controls = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join("");
    expect(canonicalJson(controls)).toBe(
      String.raw`"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f` +
        String.raw`\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f"`,
    );
    expect(canonicalJson('"\\/')).toBe(String.raw`"\"\\/"`);
    // Everything else, including DEL, U+0080, non-BMP and U+2028, is written as itself (UTF-8 when hashed).
    expect(canonicalJson("\u007f\u0080é€😀\u2028")).toBe('"\u007f\u0080é€😀\u2028"');
  });

  it("§3.2.3: sorts members by their names' UTF-16 code units (the RFC's non-ASCII sample), not by code point or locale", () => {
    const input: unknown = JSON.parse(
      String.raw`{
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew Letter Dalet With Dagesh",
        "1": "One",
        "\ud83d\ude00": "Emoji: Grinning Face",
        "\u0080": "Control",
        "\u00f6": "Latin Small Letter O With Diaeresis"
      }`,
    );
    const expected =
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}';
    expect(canonicalJson(input)).toBe(expected);
  });

  it("§3.2.3: sorts nested objects too, keeps array order, and writes no whitespace", () => {
    const input = { b: [3, { z: 1, a: { d: null, c: "x" } }, 1], a: true, B: false, "": 0, aa: "", "a b": -1 };
    expect(canonicalJson(input)).toBe('{"":0,"B":false,"a":true,"a b":-1,"aa":"","b":[3,{"a":{"c":"x","d":null},"z":1},1]}');
    // Same members in another insertion order: the same text.
    expect(canonicalJson({ "a b": -1, aa: "", "": 0, B: false, a: true, b: input.b })).toBe(canonicalJson(input));
  });

  it("leaves out members whose value is undefined (as the stored JSON does) and accepts null-prototype objects", () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { y: 2, x: 1 });
    expect(canonicalJson({ a: undefined, b: 1, c: bare })).toBe('{"b":1,"c":{"x":1,"y":2}}');
  });

  it.each([
    ["a bigint", 1n],
    ["a function", () => 1],
    ["a Date", new Date(0)],
    ["a Map", new Map()],
    ["undefined at the top", undefined],
    ["undefined in an array", [undefined]],
    ["a symbol", Symbol("s")],
  ])("refuses %s rather than guessing a form", (_, value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });
});
