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
  /** Emails (verification, reset, magic link, code) sent to one address per hour. */
  emails_per_hour_per_address: int(1, 1_000),
  /** Wrong codes (email, TOTP, recovery) accepted against one code or challenge before it is void. */
  code_attempts: int(1, 20),
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

const mfaSchema = z.object({
  /** Who must pass a second factor at sign-in. */
  policy: z.enum(["optional", "required", "required_for_admins"]),
  /** Sensitive actions (password change, removing a factor) need a sign-in or step-up this recent (RFC 9470 max_age). */
  step_up_max_age_seconds: int(60, 86_400),
});

/** A WebAuthn relying-party id: a registrable domain such as `example.com` or `localhost` (WebAuthn §5.1.4.1 rp.id). */
const rpIdSchema = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, "must be a lowercase domain such as example.com");

const passkeysSchema = z.object({
  /** Relying-party id; null means the host of the API origin. */
  rp_id: rpIdSchema.nullable(),
  /** Shown by the authenticator; null means the tenant's name. */
  rp_name: z.string().min(1).max(100).nullable(),
  /** Origins allowed in clientDataJSON; empty means allowed_origins. */
  origins: z.array(originSchema).max(100),
  user_verification: z.enum(["required", "preferred"]),
});

const emailSchema = z.object({
  /** `required`: an unverified address cannot sign in; `optional`: verification is offered, not enforced. */
  verification: z.enum(["required", "optional"]),
  from_address: z.string().email().max(254).nullable(),
  from_name: z.string().min(1).max(100).nullable(),
  /** Where email links point (`?token=` is appended); must be one of allowed_origins or the API origin. Null: the request's redirect_url. */
  link_base_url: z.string().url().max(2_048).nullable(),
});

const organizationsSchema = z.object({
  /** Put the active organization role's permission strings into access tokens as `permissions`. */
  permissions_in_token: z.boolean(),
  /** How long an invitation link works. */
  invitation_ttl_seconds: int(3_600, 30 * 86_400),
});

/** An RFC 3986 absolute URI used as a resource indicator (RFC 8707 §2: no fragment). */
const resourceIdentifierSchema = z
  .string()
  .max(2_048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.hash === "" && !value.includes("#");
    } catch {
      return false;
    }
  }, "must be an absolute URI without a fragment (RFC 8707 §2)");

/** A scope token (RFC 6749 §3.3: NQCHAR, no spaces or quotes). */
export const scopeTokenSchema = z.string().min(1).max(128).regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "must be a scope token (RFC 6749 §3.3)");

/** An API the tenant protects with Plinto-issued tokens: its audience and the scopes it defines. */
const apiResourceSchema = z.object({
  /** Resource indicator and `aud` of tokens for this API (RFC 8707). */
  identifier: resourceIdentifierSchema,
  name: z.string().min(1).max(100),
  scopes: z.array(z.object({ value: scopeTokenSchema, description: z.string().max(200) })).max(100),
});

const oauthSchema = z.object({
  /** APIs (audiences) and their scopes; OIDC scopes (openid profile email offline_access) are built in. */
  resources: z.array(apiResourceSchema).max(50),
  /** RFC 7591 dynamic client registration: off, open to anyone, or only with an initial access token. */
  dynamic_registration: z.enum(["disabled", "open", "initial_access_token"]),
  /** How long the hosted-login browser session lasts (the `__Host-` cookie). */
  login_session_ttl_seconds: int(300, 90 * 86_400),
});

/** Hosted login pages' look. Colours are #rrggbb so they can be placed in CSS safely. */
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "must be a colour such as #1f6feb");
const brandingSchema = z.object({
  /** Shown on hosted pages; null means the tenant's name. */
  display_name: z.string().min(1).max(100).nullable(),
  logo_url: z
    .string()
    .url()
    .max(2_048)
    .refine((value) => value.startsWith("https://"), "must be an https URL")
    .nullable(),
  primary_color: hexColour,
  background_color: hexColour,
});

export const tenantSettingsSchema = z
  .object({
    allowed_origins: z.array(originSchema).max(100),
    password_policy: passwordPolicySchema,
    rate_limits: rateLimitsSchema,
    lockout: lockoutSchema,
    tokens: tokensSchema,
    signing_algorithm: signingAlgorithmSchema,
    mfa: mfaSchema,
    passkeys: passkeysSchema,
    email: emailSchema,
    organizations: organizationsSchema,
    oauth: oauthSchema,
    branding: brandingSchema,
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
    emails_per_hour_per_address: 5,
    code_attempts: 5,
  },
  lockout: { threshold: 5, base_seconds: 30, max_seconds: 3_600 },
  tokens: {
    access_token_ttl_seconds: 900,
    refresh_token_ttl_seconds: 30 * 86_400,
    refresh_idle_ttl_seconds: 14 * 86_400,
  },
  signing_algorithm: "RS256",
  mfa: { policy: "optional", step_up_max_age_seconds: 600 },
  passkeys: { rp_id: null, rp_name: null, origins: [], user_verification: "preferred" },
  email: { verification: "optional", from_address: null, from_name: null, link_base_url: null },
  organizations: { permissions_in_token: false, invitation_ttl_seconds: 7 * 86_400 },
  oauth: { resources: [], dynamic_registration: "disabled", login_session_ttl_seconds: 7 * 86_400 },
  branding: { display_name: null, logo_url: null, primary_color: "#1f6feb", background_color: "#f6f8fa" },
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
    mfa: mfaSchema.partial().strict(),
    passkeys: passkeysSchema.partial().strict(),
    email: emailSchema.partial().strict(),
    organizations: organizationsSchema.partial().strict(),
    oauth: oauthSchema.partial().strict(),
    branding: brandingSchema.partial().strict(),
  })
  .partial()
  .strict();
export type TenantSettingsPatch = z.infer<typeof tenantSettingsPatchSchema>;

type SettingsSection = Exclude<keyof TenantSettings, "allowed_origins" | "signing_algorithm">;
const SECTIONS = ["password_policy", "rate_limits", "lockout", "tokens", "mfa", "passkeys", "email", "organizations", "oauth", "branding"] as const satisfies readonly SettingsSection[];

/**
 * Merges `patch` onto `base` section by section (one level deep). Used for
 * PATCH and for stored settings written before a section or field existed,
 * which read as the defaults for what they lack.
 */
export function mergeSettings(base: TenantSettings, patch: TenantSettingsPatch): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...base, ...patch };
  for (const section of SECTIONS) merged[section] = { ...base[section], ...patch[section] };
  return merged;
}

/** Parses settings as stored; fields added since they were written take their defaults. */
export function parseStoredSettings(stored: unknown): TenantSettings {
  const patch = typeof stored === "object" && stored !== null ? (stored as TenantSettingsPatch) : {};
  return tenantSettingsSchema.parse(mergeSettings(defaultTenantSettings, patch));
}
