/**
 * RFC 7515 / 7519 / 8725 / 9068 conformance of `verifyAccessToken`: what a
 * verifier must refuse, each with its stable code.
 */
import { base64url, CompactSign, exportSPKI, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { VerifierOptions } from "./options";
import {
  claimsAt,
  codeOf,
  ISSUER,
  issuerVerifier,
  jwksUrlOf,
  makeKey,
  sign,
  type TestKey,
} from "./test-support/fixtures";

let rsa: TestKey;
let ec: TestKey;
let ed: TestKey;
let unpublished: TestKey;

beforeAll(async () => {
  [rsa, ec, ed, unpublished] = await Promise.all([
    makeKey("RS256", "key_rsa"),
    makeKey("ES256", "key_ec"),
    makeKey("EdDSA", "key_ed"),
    makeKey("RS256", "key_other"),
  ]);
});

const setup = (options: Partial<VerifierOptions> = {}) => issuerVerifier([rsa, ec, ed], options);

const encodeJson = (value: unknown): string => base64url.encode(JSON.stringify(value));
const decodeJson = (part: string): Record<string, unknown> => JSON.parse(new TextDecoder().decode(base64url.decode(part)));

describe("valid tokens", () => {
  it.each(["RS256", "ES256", "EdDSA"] as const)("verifies a %s token and returns typed claims", async (alg) => {
    const { clock, verifier } = setup();
    const key = { RS256: rsa, ES256: ec, EdDSA: ed }[alg];
    const claims = claimsAt(clock.ms, { org_id: "org_1", org_role: "admin" });
    const verified = await verifier.verifyAccessToken(await sign(key, claims));
    expect(verified).toMatchObject({ tenant: "acme", kid: key.kid, alg, scopes: ["read:items", "write:items"] });
    expect(verified.claims).toEqual(claims);
    expect(Object.isFrozen(verified.claims)).toBe(true);
  });

  it("accepts typ application/at+jwt (RFC 9068 §4) and an audience list naming us", async () => {
    const { clock, verifier } = setup();
    const token = await sign(rsa, claimsAt(clock.ms, { aud: ["https://other.example", ISSUER] }), { typ: "application/at+jwt" });
    await expect(verifier.verifyAccessToken(token)).resolves.toMatchObject({ kid: rsa.kid });
  });
});

describe("RFC 7515: integrity", () => {
  it("refuses a tampered header, payload or signature", async () => {
    const { clock, verifier } = setup();
    const [header = "", payload = "", signature = ""] = (await sign(rsa, claimsAt(clock.ms))).split(".");
    const tamperedHeader = encodeJson({ ...decodeJson(header), cty: "JWT" });
    const tamperedPayload = encodeJson({ ...decodeJson(payload), sub: "usr_admin" });
    const bytes = base64url.decode(signature);
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0x01;
    expect(await codeOf(verifier.verifyAccessToken(`${tamperedHeader}.${payload}.${signature}`))).toBe("invalid_signature");
    expect(await codeOf(verifier.verifyAccessToken(`${header}.${tamperedPayload}.${signature}`))).toBe("invalid_signature");
    expect(await codeOf(verifier.verifyAccessToken(`${header}.${payload}.${base64url.encode(bytes)}`))).toBe("invalid_signature");
  });

  it("refuses kid confusion: kid of key A, signature of key B", async () => {
    const { clock, verifier } = setup();
    const token = await sign({ ...unpublished, kid: rsa.kid }, claimsAt(clock.ms));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("invalid_signature");
  });

  it("refuses malformed compact serializations (RFC 7515 §7.1) and a token without kid", async () => {
    const { clock, verifier } = setup();
    for (const token of ["abc", "a.b", "a.b.c.d", "!!.??.**", `${encodeJson({ alg: "RS256" })}.e30.`]) {
      expect(await codeOf(verifier.verifyAccessToken(token))).toMatch(/^(token_malformed|unknown_key)$/);
    }
    expect(await codeOf(verifier.verifyAccessToken("x.y.z"))).toBe("token_malformed");
    expect(await codeOf(verifier.verifyAccessToken(await sign(rsa, claimsAt(clock.ms), { kid: undefined })))).toBe("unknown_key");
    expect(await codeOf(verifier.verifyAccessToken(""))).toBe("token_missing");
    expect(await codeOf(verifier.verifyAccessToken(undefined))).toBe("token_missing");
  });

  it("refuses a nested JWT (RFC 7519 §5.2 cty JWT): the payload must be the claims", async () => {
    const { clock, verifier } = setup();
    const inner = await sign(rsa, claimsAt(clock.ms));
    const nested = await new CompactSign(new TextEncoder().encode(inner))
      .setProtectedHeader({ alg: "RS256", kid: rsa.kid, typ: "at+jwt", cty: "JWT" })
      .sign(rsa.privateKey);
    expect(await codeOf(verifier.verifyAccessToken(nested))).toBe("token_malformed");
  });
});

describe("RFC 8725 §3.1: the algorithm is the key's", () => {
  it("refuses an RS256 token presented against an ES256-only key", async () => {
    const { clock, verifier } = setup();
    const token = await sign({ ...rsa, kid: ec.kid }, claimsAt(clock.ms));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unsupported_algorithm");
  });

  it("refuses HS256 signed with the RSA public key (algorithm confusion)", async () => {
    const { clock, verifier } = setup();
    const secrets = [
      new TextEncoder().encode(await exportSPKI(rsa.publicKey)),
      new TextEncoder().encode(JSON.stringify(rsa.publicJwk)),
    ];
    for (const secret of secrets) {
      const token = await new SignJWT(claimsAt(clock.ms)).setProtectedHeader({ alg: "HS256", kid: rsa.kid, typ: "at+jwt" }).sign(secret);
      expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unsupported_algorithm");
    }
  });

  it("refuses alg none, with or without a signature", async () => {
    const { clock, verifier } = setup();
    const header = encodeJson({ alg: "none", kid: rsa.kid, typ: "at+jwt" });
    const payload = encodeJson(claimsAt(clock.ms));
    expect(await codeOf(verifier.verifyAccessToken(`${header}.${payload}.`))).toBe("unsupported_algorithm");
    expect(await codeOf(verifier.verifyAccessToken(`${header}.${payload}.c2ln`))).toBe("unsupported_algorithm");
  });

  it("refuses an unknown critical header parameter (RFC 7515 §4.1.11)", async () => {
    const { clock, verifier } = setup();
    const token = await sign(rsa, claimsAt(clock.ms), { crit: ["urn:example:must-understand"], "urn:example:must-understand": true }, {
      crit: { "urn:example:must-understand": true },
    });
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("token_malformed");
  });

  it("never follows jku, x5u or jwk headers (RFC 8725 §3.10) and refuses such tokens", async () => {
    const { clock, origin, verifier } = setup();
    const headers = [
      { jku: "https://evil.example/jwks.json" },
      { x5u: "https://evil.example/cert.pem" },
      { jwk: { ...unpublished.publicJwk } },
    ];
    for (const header of headers) {
      const token = await sign(unpublished, claimsAt(clock.ms), { ...header, kid: unpublished.kid });
      expect(await codeOf(verifier.verifyAccessToken(token))).toBe("unknown_key");
    }
    await verifier.verifyAccessToken(await sign(rsa, claimsAt(clock.ms)));
    expect(origin.calls.every((url) => url === jwksUrlOf(ISSUER))).toBe(true);
  });
});

describe("size cap", () => {
  it("refuses a token above maxTokenLength before parsing it", async () => {
    const { origin, verifier } = setup();
    expect(await codeOf(verifier.verifyAccessToken("a".repeat(8_193)))).toBe("token_too_large");
    expect(await codeOf(verifier.verifyAccessToken("a".repeat(8_192)))).toBe("token_malformed");
    expect(origin.calls).toEqual([]);
    const small = setup({ maxTokenLength: 100 });
    const token = await sign(rsa, claimsAt(small.clock.ms));
    expect(await codeOf(small.verifier.verifyAccessToken(token))).toBe("token_too_large");
  });
});

describe("RFC 7519 §4.1: registered claims", () => {
  it("allows clock skew within the tolerance and refuses it outside", async () => {
    const { clock, verifier } = setup();
    const now = Math.floor(clock.ms / 1000);
    const at = (overrides: Record<string, unknown>) => sign(rsa, claimsAt(clock.ms, overrides));
    expect(await codeOf(verifier.verifyAccessToken(await at({ exp: now - 4 })))).toBe("accepted");
    expect(await codeOf(verifier.verifyAccessToken(await at({ exp: now - 6 })))).toBe("token_expired");
    expect(await codeOf(verifier.verifyAccessToken(await at({ nbf: now + 4, iat: now + 4 })))).toBe("accepted");
    expect(await codeOf(verifier.verifyAccessToken(await at({ nbf: now + 6 })))).toBe("token_not_yet_valid");
    expect(await codeOf(verifier.verifyAccessToken(await at({ iat: now + 6, nbf: undefined })))).toBe("token_not_yet_valid");
    const strict = setup({ clockTolerance: 0 });
    expect(await codeOf(strict.verifier.verifyAccessToken(await at({ exp: now })))).toBe("token_expired");
  });

  it("refuses a wrong issuer, audience or type", async () => {
    const { clock, verifier } = setup();
    const at = (overrides: Record<string, unknown>, header = {}) => sign(rsa, claimsAt(clock.ms, overrides), header);
    expect(await codeOf(verifier.verifyAccessToken(await at({ iss: "https://auth.plinto.test/t/other" })))).toBe("invalid_issuer");
    expect(await codeOf(verifier.verifyAccessToken(await at({ aud: "https://api.example" })))).toBe("invalid_audience");
    expect(await codeOf(verifier.verifyAccessToken(await at({}, { typ: "JWT" })))).toBe("invalid_type");
    expect(await codeOf(verifier.verifyAccessToken(await at({}, { typ: undefined })))).toBe("invalid_type");
    const api = setup({ audience: ["https://api.example"] });
    expect(await codeOf(api.verifier.verifyAccessToken(await at({ aud: "https://api.example" })))).toBe("accepted");
    expect(await codeOf(api.verifier.verifyAccessToken(await at({})))).toBe("invalid_audience");
  });

  it.each(["jti", "sid", "sub", "exp", "iat", "iss", "aud"])("refuses a token without %s", async (claim) => {
    const { clock, verifier } = setup();
    const token = await sign(rsa, claimsAt(clock.ms, { [claim]: undefined }));
    expect(await codeOf(verifier.verifyAccessToken(token))).toBe("missing_claim");
  });

  it("accepts a client-credentials token (RFC 6749 §4.4): no sid, sub = client_id", async () => {
    const { clock, verifier } = setup();
    const claims = claimsAt(clock.ms, { sid: undefined, amr: undefined, sub: "cli_01", client_id: "cli_01" });
    const verified = await verifier.verifyAccessToken(await sign(rsa, claims));
    expect(verified.claims).toMatchObject({ sub: "cli_01", client_id: "cli_01" });
    expect(verified.claims.sid).toBeUndefined();
  });

  it("accepts an OAuth user token (RFC 9068 §2.2: client_id, auth_time, acr next to sid)", async () => {
    const { clock, verifier } = setup();
    const claims = claimsAt(clock.ms, { client_id: "cli_01", auth_time: Math.floor(clock.ms / 1000) - 60, acr: "urn:example:loa:2" });
    await expect(verifier.verifyAccessToken(await sign(rsa, claims))).resolves.toMatchObject({ claims });
  });

  it("refuses a token without sid unless it is a client's own (client_id present and equal to sub)", async () => {
    const { clock, verifier } = setup();
    for (const overrides of [{ sid: undefined }, { sid: undefined, client_id: "cli_01" }, { sid: undefined, client_id: "" }]) {
      expect(await codeOf(verifier.verifyAccessToken(await sign(rsa, claimsAt(clock.ms, overrides))))).toBe("missing_claim");
    }
    for (const overrides of [{ client_id: 7 }, { auth_time: "yesterday" }, { acr: 2 }]) {
      expect(await codeOf(verifier.verifyAccessToken(await sign(rsa, claimsAt(clock.ms, overrides))))).toBe("token_malformed");
    }
  });

  it("refuses claims of the wrong type", async () => {
    const { clock, verifier } = setup();
    for (const overrides of [{ sid: 42 }, { sub: ["usr"] }, { amr: "pwd" }, { scope: ["read"] }, { org_role: 1 }, { exp: "soon" }]) {
      const token = await sign(rsa, claimsAt(clock.ms, overrides));
      expect(await codeOf(verifier.verifyAccessToken(token))).toBe("token_malformed");
    }
    expect(await codeOf(verifier.verifyAccessToken(await sign(rsa, claimsAt(clock.ms, { sid: "" }))))).toBe("missing_claim");
  });
});
