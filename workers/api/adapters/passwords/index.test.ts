import { describe, expect, it } from "vitest";
import { ARGON2ID_PARAMS, createPasswordHasher } from "./index";

const hasher = createPasswordHasher();
const PASSWORD = "correct horse battery staple";

describe("createPasswordHasher", () => {
  it("hashes with argon2id at the exported parameters and verifies", async () => {
    const stored = await hasher.hash(PASSWORD);
    const { memoryCost, timeCost, parallelism } = ARGON2ID_PARAMS;
    expect(stored.startsWith(`$argon2id$v=19$m=${memoryCost},t=${timeCost},p=${parallelism}$`)).toBe(true);
    expect(await hasher.verify(stored, PASSWORD)).toEqual({ ok: true, needsRehash: false });
    expect(await hasher.verify(stored, "")).toEqual({ ok: false, needsRehash: false });
  });

  it("dispatches each imported format and asks for a rehash only when it verifies", async () => {
    const imported: Array<[string, string]> = [
      ["$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a", "rasmuslerdorf"],
      ["$scrypt$ln=4,r=8,p=1$cGxpbnRvLXRlc3Qtc2FsdA$k41nbvuCZDPTicuG8L7ff/96gh37lyURVG2o1MDOSnE", PASSWORD],
      ["$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M", "password"],
      ["pbkdf2_sha256$1000$Wy7rJQ1Yq0ZkXbP3nLcV9e$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0=", PASSWORD],
      ["$argon2i$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$KAxrPeLpNk3WvG297151EewBlAm+SQd5p0l3VV+Xpao", PASSWORD],
    ];
    for (const [stored, password] of imported) {
      expect(await hasher.verify(stored, password)).toEqual({ ok: true, needsRehash: true });
      expect(await hasher.verify(stored, password + "x")).toEqual({ ok: false, needsRehash: false });
    }
  });

  it("tries an imported hash with the password as typed, then with NFKC", async () => {
    // bcryptjs hashes of "\uFB01le-cabinet" (with the "fi" ligature) and of "file-cabinet".
    const ligature = "$2b$04$En3JJfFuMaswLvzMhi6b3O5oHBD3diMmw/yZh2VR3eq8XOJb21L2q";
    const plain = "$2b$04$A0HdsnRfFqoqXw/y9LY7uO4BO7dlKoq188FGH.HE.MBnXSXEWb6Fi";
    expect((await hasher.verify(ligature, "\uFB01le-cabinet")).ok).toBe(true);
    expect((await hasher.verify(plain, "\uFB01le-cabinet")).ok).toBe(true);
    expect((await hasher.verify(ligature, "file-cabinet")).ok).toBe(false);
  });

  it.each([
    "",
    "plaintext-password",
    "$",
    "$$$$",
    "$argon2id$",
    "$argon2x$v=19$m=256,t=1,p=1$cGxpbnRvLXRlc3Qtc2FsdA$KAxrPeLpNk3WvG297151EewBlAm+SQd5p0l3VV+Xpao",
    "$2b$",
    "$scrypt$",
    "$pbkdf2-sha256$",
    "pbkdf2_sha256$",
    "{SSHA}abcdef",
    "5f4dcc3b5aa765d61d8327deb882cf99",
    "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/",
    "$6$rounds=5000$salt$hash",
    "\u0000\uFFFF\uD800",
    "$argon2id$v=19$m=256,t=1,p=1$" + "A".repeat(10_000),
  ])("verifies unknown or malformed %j as false without throwing", async (stored) => {
    expect(await hasher.verify(stored, PASSWORD)).toEqual({ ok: false, needsRehash: false });
  });

  it("returns false for non-string input from untyped callers", async () => {
    const verify = hasher.verify as (stored: unknown, password: unknown) => Promise<unknown>;
    expect(await verify(null, PASSWORD)).toEqual({ ok: false, needsRehash: false });
    expect(await verify("$2b$04$A0HdsnRfFqoqXw/y9LY7uO4BO7dlKoq188FGH.HE.MBnXSXEWb6Fi", undefined)).toEqual({ ok: false, needsRehash: false });
  });

  it("spends a verification on the dummy hash, twice in a row", async () => {
    await expect(hasher.verifyAgainstDummy(PASSWORD)).resolves.toBeUndefined();
    await expect(hasher.verifyAgainstDummy("")).resolves.toBeUndefined();
  });
});
