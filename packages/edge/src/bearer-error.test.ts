/** RFC 6750 §2.1 token reading and §3 error responses. */
import { describe, expect, it } from "vitest";
import { bearerErrorResponse, toBearerError } from "./bearer-error";
import { readBearerToken } from "./bearer-token";
import { EdgeAuthError, type EdgeAuthErrorCode, edgeAuthErrorCatalog } from "./errors";

describe("readBearerToken (RFC 6750 §2.1)", () => {
  it("reads the b64token after a case-insensitive Bearer scheme", () => {
    expect(readBearerToken("Bearer abc.def-_~+/.ghi==")).toBe("abc.def-_~+/.ghi==");
    expect(readBearerToken("bearer  abc ")).toBe("abc");
  });

  it("treats no header, another scheme or an empty token as missing, and junk as malformed", () => {
    const code = (header: string | null) => {
      try {
        readBearerToken(header);
        return "read";
      } catch (error) {
        return error instanceof EdgeAuthError ? error.code : "other";
      }
    };
    expect([null, "", "Basic dXNlcjpwdw==", "Bearer", "Bearer   ", "Bearerabc"].map(code)).toEqual(Array(6).fill("token_missing"));
    expect(["Bearer a b", "Bearer a,b", 'Bearer "abc"', "Bearer a=b"].map(code)).toEqual(Array(4).fill("token_malformed"));
  });
});

describe("toBearerError (RFC 6750 §3)", () => {
  it("gives a bare challenge when no token was sent (§3.1: no error code)", () => {
    expect(toBearerError(new EdgeAuthError("token_missing"))).toEqual({
      status: 401,
      wwwAuthenticate: "Bearer",
      body: { error: "invalid_request", error_description: "Bearer access token required" },
    });
    expect(toBearerError(new EdgeAuthError("token_missing"), { realm: "api" }).wwwAuthenticate).toBe('Bearer realm="api"');
  });

  it("maps token problems to 401 invalid_token", () => {
    const token = toBearerError(new EdgeAuthError("session_revoked"), { realm: "api" });
    expect(token.status).toBe(401);
    expect(token.wwwAuthenticate).toBe('Bearer realm="api", error="invalid_token", error_description="Session was revoked"');
  });

  it("maps missing privileges to 403 insufficient_scope with the needed scope", () => {
    const scope = toBearerError(new EdgeAuthError("insufficient_scope", { requiredScopes: ["write:items", "admin"] }));
    expect(scope.status).toBe(403);
    expect(scope.wwwAuthenticate).toContain('error="insufficient_scope"');
    expect(scope.wwwAuthenticate).toContain('scope="write:items admin"');
    expect(toBearerError(new EdgeAuthError("insufficient_role")).body.error).toBe("insufficient_scope");
  });

  it("answers 503 without a challenge when the verifier cannot decide", () => {
    for (const code of ["jwks_unavailable", "revocation_unavailable"] as const) {
      expect(toBearerError(new EdgeAuthError(code))).toMatchObject({ status: 503, wwwAuthenticate: undefined, body: { error: "temporarily_unavailable" } });
    }
  });

  it("keeps attribute values within the RFC 6750 character set", () => {
    const error = new EdgeAuthError("token_malformed", { detail: 'bad "quote" \\ and\nnewline' });
    const { wwwAuthenticate } = toBearerError(error);
    expect(wwwAuthenticate).toBe(`Bearer error="invalid_token", error_description="bad 'quote' ' and'newline"`);
  });

  it("maps every code to 401, 403 or 503 with an OAuth error name", () => {
    for (const code of Object.keys(edgeAuthErrorCatalog) as EdgeAuthErrorCode[]) {
      const { status, body } = toBearerError(new EdgeAuthError(code));
      expect([401, 403, 503], code).toContain(status);
      expect(["invalid_request", "invalid_token", "insufficient_scope", "temporarily_unavailable"], code).toContain(body.error);
    }
  });

  it("builds a no-store JSON response", async () => {
    const response = bearerErrorResponse(new EdgeAuthError("token_expired"));
    expect(response.status).toBe(401);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(await response.json()).toEqual({ error: "invalid_token", error_description: "Access token expired" });
  });
});
