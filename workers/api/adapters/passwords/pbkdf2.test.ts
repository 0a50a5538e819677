import { describe, expect, it } from "vitest";
import { verifyPbkdf2 } from "./pbkdf2";

const PASSWORD = "correct horse battery staple";

describe("PBKDF2 in passlib's format", () => {
  // RFC 6070 PBKDF2-HMAC-SHA1 vectors ("password", "salt", c, dkLen 20), salt and
  // DK written in passlib's adapted base64.
  it.each([
    ["$pbkdf2-sha1$1$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y"],
    ["$pbkdf2-sha1$2$c2FsdA$6mwBTcctb4zNHtkqzh1B8NjeiVc"],
    ["$pbkdf2-sha1$4096$c2FsdA$SwB5AbdlSJq.rUnZJvch0GWkKcE"],
    ["$pbkdf2$4096$c2FsdA$SwB5AbdlSJq.rUnZJvch0GWkKcE"], // passlib's pbkdf2_sha1 ident
  ])("verifies RFC 6070 vector %s", async (stored) => {
    expect(await verifyPbkdf2(stored, "password")).toBe(true);
    expect(await verifyPbkdf2(stored, "passwore")).toBe(false);
  });

  it("verifies the example hash from passlib's pbkdf2_sha256 documentation", async () => {
    const stored = "$pbkdf2-sha256$6400$0ZrzXitFSGltTQnBWOsdAw$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M";
    expect(await verifyPbkdf2(stored, "password")).toBe(true);
    expect(await verifyPbkdf2(stored, "wrong")).toBe(false);
  });

  // Made with Node's crypto.pbkdf2Sync(PASSWORD, salt, c, dkLen, digest).
  it("verifies SHA-512", async () => {
    const stored =
      "$pbkdf2-sha512$25000$576hCMmcr03cwJzzb5gXsw$dRRz4sedSAjc1NcGIXoT8.V688dYXx6N2r3Us1BJQ4mwq5/JEhllf4OQ2C6un0NYUXmVL2v/Y52fjMq4LKEiFw";
    expect(await verifyPbkdf2(stored, PASSWORD)).toBe(true);
    expect(await verifyPbkdf2(stored, PASSWORD + " ")).toBe(false);
  });

  it("verifies above the production WebCrypto limit of 100,000 iterations", async () => {
    const stored = "$pbkdf2-sha256$100001$YOy8619Nin6jfZdq14Wk5g$Gkc/t/wKVBAEoctWP1/.dbIzQ/DDWjx6HeEzi/EKiK8";
    expect(await verifyPbkdf2(stored, PASSWORD)).toBe(true);
  });
});

describe("PBKDF2 in Django's format", () => {
  // Made with Node: crypto.pbkdf2Sync(PASSWORD, salt, 1000, 32 | 20, digest).toString("base64").
  it.each([
    ["pbkdf2_sha256$1000$Wy7rJQ1Yq0ZkXbP3nLcV9e$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0="],
    ["pbkdf2_sha1$1000$Wy7rJQ1Yq0ZkXbP3nLcV9e$mm2k8XHqx3Oq3E+j/n8QgSX2jEQ="],
  ])("verifies %s and rejects a wrong password", async (stored) => {
    expect(await verifyPbkdf2(stored, PASSWORD)).toBe(true);
    expect(await verifyPbkdf2(stored, PASSWORD.toUpperCase())).toBe(false);
  });
});

describe("PBKDF2 limits and malformed strings", () => {
  it.each([
    ["iterations over the bound", "$pbkdf2-sha256$2000001$c2FsdA$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"],
    ["iterations over 2^32", "pbkdf2_sha256$9999999999$salt$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0="],
    ["zero iterations", "$pbkdf2-sha1$0$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y"],
    ["leading zero", "$pbkdf2-sha1$01$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y"],
    ["unknown digest", "$pbkdf2-md5$1$c2FsdA$DGDID5YfDnHzqbUkr2ASBi/gN6Y"],
    ["output longer than the digest", "$pbkdf2-sha1$1$c2FsdA$Y11AchqV4b0sUisdZd0Xr97KWoymNE0LNNrnEgY4H9M"],
    ["standard + in passlib base64", "$pbkdf2-sha1$1$c2FsdA$DGDID5YfDnHzqbUkr2ASBi+gN6Y"],
    ["Django hash without padding", "pbkdf2_sha256$1000$Wy7rJQ1Yq0ZkXbP3nLcV9e$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0"],
    ["Django sha512 (not a Django hasher)", "pbkdf2_sha512$1000$salt$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0="],
    ["empty Django salt", "pbkdf2_sha256$1000$$I3MP8weITjd52xbdB8zt6auCaD2J8pxB6iJL3Nkx7Y0="],
  ])("refuses %s", async (_, stored) => {
    expect(await verifyPbkdf2(stored, "password")).toBe(false);
  });
});
