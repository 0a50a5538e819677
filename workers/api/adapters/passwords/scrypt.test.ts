import { describe, expect, it } from "vitest";
import { verifyScrypt } from "./scrypt";

/**
 * RFC 7914 §12 test vectors 2 and 3, written as PHC strings: salt and
 * derived key in standard base64 without padding (checked against Node's
 * OpenSSL crypto.scryptSync).
 */
const RFC7914_NACL =
  "$scrypt$ln=10,r=8,p=16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWIurzDZLiKjiG/xCSedmDDaxyevuUqD7m2DYMvfoswGQA";
const RFC7914_SODIUM =
  "$scrypt$ln=14,r=8,p=1$U29kaXVtQ2hsb3JpZGU$cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw";

/** Python's hashlib.scrypt (OpenSSL), N=16 so wrong-password checks stay cheap. */
const CHEAP = "$scrypt$ln=4,r=8,p=1$cGxpbnRvLXRlc3Qtc2FsdA$k41nbvuCZDPTicuG8L7ff/96gh37lyURVG2o1MDOSnE";

describe("scrypt", () => {
  it("verifies RFC 7914 vectors (N=1024, r=8, p=16 and N=16384, r=8, p=1)", async () => {
    expect(await verifyScrypt(RFC7914_NACL, "password")).toBe(true);
    expect(await verifyScrypt(RFC7914_SODIUM, "pleaseletmein")).toBe(true);
  });

  it("rejects a wrong password", async () => {
    expect(await verifyScrypt(CHEAP, "correct horse battery staple")).toBe(true);
    expect(await verifyScrypt(CHEAP, "correct horse battery stapler")).toBe(false);
    expect(await verifyScrypt(CHEAP, "")).toBe(false);
  });

  const salt = "U29kaXVtQ2hsb3JpZGU";
  const hash = "cCO9yzr9c0hGHAbNgf046/2o+7qQT44+qbVD9lRdofLVQylVYT8Pz2LUlwUkKpr55h6F3A1lHkDfzwF7RVdYhw";
  it.each([
    ["N·r over 2^19 (128 MiB)", `$scrypt$ln=17,r=8,p=1$${salt}$${hash}`],
    ["N = 2^30", `$scrypt$ln=30,r=1,p=1$${salt}$${hash}`],
    ["N·r·p over 2^20", `$scrypt$ln=16,r=8,p=3$${salt}$${hash}`],
    ["huge p", `$scrypt$ln=4,r=1,p=4294967295$${salt}$${hash}`],
    ["r = 0", `$scrypt$ln=14,r=0,p=1$${salt}$${hash}`],
    ["ln = 0", `$scrypt$ln=0,r=8,p=1$${salt}$${hash}`],
    ["missing parameter", `$scrypt$ln=14,r=8$${salt}$${hash}`],
    ["missing hash", `$scrypt$ln=14,r=8,p=1$${salt}`],
    ["empty salt", `$scrypt$ln=14,r=8,p=1$$${hash}`],
    ["short hash", `$scrypt$ln=14,r=8,p=1$${salt}$cCO9yzr9c0hGHAbN`],
    ["bad base64", `$scrypt$ln=14,r=8,p=1$${salt}$${hash}!`],
    ["padding", `$scrypt$ln=14,r=8,p=1$${salt}$${hash}==`],
    ["version field", `$scrypt$v=1$ln=14,r=8,p=1$${salt}$${hash}`],
  ])("refuses %s without computing", async (_, stored) => {
    expect(await verifyScrypt(stored, "pleaseletmein")).toBe(false);
  });
});
