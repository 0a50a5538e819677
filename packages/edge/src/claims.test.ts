/** The verifier reads what the issuer writes: core's claims type fits the edge's. */
import { ACCESS_TOKEN_TYPE as ISSUED_TYPE, type AccessTokenClaims, MAX_TOKEN_LENGTH, type OAuthAccessClaims } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { ACCESS_TOKEN_TYPE } from "./algorithms";
import { type PlintoAccessTokenClaims, scopesOf } from "./claims";
import { resolveSettings } from "./options";

describe("claims contract with @plinto/core", () => {
  it("accepts every claim set core signs, with the same typ and size cap", () => {
    const read = (issued: AccessTokenClaims): PlintoAccessTokenClaims => issued; // fails to compile if they drift apart
    const readOAuth = (issued: OAuthAccessClaims): PlintoAccessTokenClaims => issued; // tokens issued to OAuth clients too
    expect(read).toBeTypeOf("function");
    expect(readOAuth).toBeTypeOf("function");
    expect(ACCESS_TOKEN_TYPE).toBe(ISSUED_TYPE);
    expect(resolveSettings({ issuer: "https://a.example/t/acme" }).maxTokenLength).toBe(MAX_TOKEN_LENGTH);
  });

  it("splits scope on spaces (RFC 6749 §3.3)", () => {
    const base = { iss: "i", sub: "s", aud: "a", exp: 1, iat: 1, jti: "j", sid: "s" };
    expect(scopesOf({ ...base, scope: " read  write " })).toEqual(["read", "write"]);
    expect(scopesOf(base)).toEqual([]);
  });
});
