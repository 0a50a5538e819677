import { describe, expect, it } from "vitest";
import { PlintoError } from "../errors";
import { oauthDescription, toOAuthError } from "./oauth-error";

describe("toOAuthError (RFC 6749 §5.2)", () => {
  it("passes OAuth codes through with their status and detail", () => {
    expect(toOAuthError(new PlintoError("invalid_grant", { detail: "code used" }))).toEqual({ status: 400, error: "invalid_grant", description: "code used" });
    expect(toOAuthError(new PlintoError("invalid_client"))).toMatchObject({ status: 401, error: "invalid_client" });
    expect(toOAuthError(new PlintoError("slow_down"))).toMatchObject({ status: 400, error: "slow_down" });
  });

  it("maps other codes: validation -> invalid_request, 429/503 -> temporarily_unavailable, 5xx -> server_error, RFC 6750 codes", () => {
    expect(toOAuthError(new PlintoError("validation_failed"))).toMatchObject({ status: 400, error: "invalid_request" });
    expect(toOAuthError(new PlintoError("unsupported_media_type"))).toMatchObject({ status: 415, error: "invalid_request" });
    expect(toOAuthError(new PlintoError("rate_limited", { retryAfterSeconds: 3 }))).toMatchObject({ status: 429, error: "temporarily_unavailable" });
    expect(toOAuthError(new PlintoError("storage_unavailable", { detail: "pg down at 10.0.0.5" }))).toEqual({
      status: 503,
      error: "temporarily_unavailable",
      description: "Storage is unavailable",
    });
    expect(toOAuthError(new PlintoError("internal_error", { detail: "secret stack" }))).toEqual({ status: 500, error: "server_error", description: "Internal error" });
    expect(toOAuthError(new PlintoError("unauthorized"))).toMatchObject({ status: 401, error: "invalid_token" });
    expect(toOAuthError(new PlintoError("forbidden"))).toMatchObject({ status: 403, error: "insufficient_scope" });
  });

  it("keeps error_description within %x20-21 / %x23-5B / %x5D-7E", () => {
    expect(oauthDescription('see RFC 6749 §5.2: "quoted" \\ back\nslash')).toBe("see RFC 6749 5.2: 'quoted' back slash");
  });
});
