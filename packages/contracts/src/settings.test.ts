import { describe, expect, it } from "vitest";
import { defaultTenantSettings, mergeSettings, parseStoredSettings } from "./settings";

describe("stored settings", () => {
  it("reads settings written before a section or field existed with the defaults for what they lack", () => {
    const stored = {
      allowed_origins: ["https://app.example.com"],
      password_policy: { min_length: 16, reject_common_passwords: true },
      rate_limits: { sign_in_per_minute_per_ip: 3, sign_in_per_minute_per_account: 10, sign_up_per_hour_per_ip: 30, password_reset_per_hour_per_ip: 10 },
      lockout: defaultTenantSettings.lockout,
      tokens: defaultTenantSettings.tokens,
      signing_algorithm: "ES256",
    };
    const settings = parseStoredSettings(stored);
    expect(settings.password_policy.min_length).toBe(16);
    expect(settings.rate_limits.sign_in_per_minute_per_ip).toBe(3);
    expect(settings.rate_limits.code_attempts).toBe(defaultTenantSettings.rate_limits.code_attempts);
    expect(settings.mfa).toEqual(defaultTenantSettings.mfa);
    expect(settings.signing_algorithm).toBe("ES256");
  });

  it("still refuses stored values that break the schema", () => {
    expect(() => parseStoredSettings({ password_policy: { min_length: 3 } })).toThrow();
  });

  it("merges a patch one section deep", () => {
    const merged = mergeSettings(defaultTenantSettings, { mfa: { policy: "required" } });
    expect(merged.mfa).toEqual({ ...defaultTenantSettings.mfa, policy: "required" });
    expect(merged.tokens).toEqual(defaultTenantSettings.tokens);
  });
});
