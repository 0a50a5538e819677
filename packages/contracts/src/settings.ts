import { z } from "zod";

/** An origin as browsers send it: scheme://host[:port], no path. */
export const originSchema = z
  .string()
  .max(255)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
    } catch {
      return false;
    }
  }, "must be an origin such as https://app.example.com (scheme, host and optional port, no path or trailing slash)");

export const signingAlgorithmSchema = z.enum(["RS256", "ES256", "EdDSA"]);
export type SigningAlgorithm = z.infer<typeof signingAlgorithmSchema>;

const int = (min: number, max: number) => z.number().int().min(min).max(max);

const passwordPolicySchema = z.object({
  /** NIST SP 800-63B §5.1.1.2: at least 8; Plinto requires 12. The maximum is fixed at 128. */
  min_length: int(12, 128),
  reject_common_passwords: z.boolean(),
});

const rateLimitsSchema = z.object({
  sign_in_per_minute_per_ip: int(1, 100_000),
  sign_in_per_minute_per_account: int(1, 10_000),
  sign_up_per_hour_per_ip: int(1, 100_000),
  password_reset_per_hour_per_ip: int(1, 100_000),
});

const lockoutSchema = z.object({
  /** Consecutive failed sign-ins that lock the account. */
  threshold: int(1, 100),
  /** First lock lasts this long; each further lock doubles it. */
  base_seconds: int(1, 86_400),
  max_seconds: int(1, 7 * 86_400),
});

/** Longest access-token lifetime a tenant can set; a revoked signing key stays listed this long. */
export const MAX_ACCESS_TOKEN_TTL_SECONDS = 86_400;

const tokensSchema = z.object({
  access_token_ttl_seconds: int(60, MAX_ACCESS_TOKEN_TTL_SECONDS),
  refresh_token_ttl_seconds: int(3_600, 365 * 86_400),
  refresh_idle_ttl_seconds: int(300, 365 * 86_400),
});

export const tenantSettingsSchema = z
  .object({
    allowed_origins: z.array(originSchema).max(100),
    password_policy: passwordPolicySchema,
    rate_limits: rateLimitsSchema,
    lockout: lockoutSchema,
    tokens: tokensSchema,
    signing_algorithm: signingAlgorithmSchema,
  })
  .superRefine((settings, ctx) => {
    if (settings.lockout.max_seconds < settings.lockout.base_seconds) {
      ctx.addIssue({ code: "custom", path: ["lockout", "max_seconds"], message: "must be at least base_seconds" });
    }
    if (settings.tokens.refresh_idle_ttl_seconds > settings.tokens.refresh_token_ttl_seconds) {
      ctx.addIssue({
        code: "custom",
        path: ["tokens", "refresh_idle_ttl_seconds"],
        message: "must not exceed refresh_token_ttl_seconds",
      });
    }
  });
export type TenantSettings = z.infer<typeof tenantSettingsSchema>;

export const defaultTenantSettings: TenantSettings = {
  allowed_origins: [],
  password_policy: { min_length: 12, reject_common_passwords: true },
  rate_limits: {
    sign_in_per_minute_per_ip: 10,
    sign_in_per_minute_per_account: 10,
    sign_up_per_hour_per_ip: 30,
    password_reset_per_hour_per_ip: 10,
  },
  lockout: { threshold: 5, base_seconds: 30, max_seconds: 3_600 },
  tokens: {
    access_token_ttl_seconds: 900,
    refresh_token_ttl_seconds: 30 * 86_400,
    refresh_idle_ttl_seconds: 14 * 86_400,
  },
  signing_algorithm: "RS256",
};

/** PATCH body: any subset of sections, each a subset of its fields. Merged onto the current settings, then validated whole. */
export const tenantSettingsPatchSchema = z
  .object({
    allowed_origins: z.array(originSchema).max(100),
    password_policy: passwordPolicySchema.partial().strict(),
    rate_limits: rateLimitsSchema.partial().strict(),
    lockout: lockoutSchema.partial().strict(),
    tokens: tokensSchema.partial().strict(),
    signing_algorithm: signingAlgorithmSchema,
  })
  .partial()
  .strict();
export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatchSchema>;
