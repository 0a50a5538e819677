import type { UpstreamConnection, UpstreamProviderKind } from "../ports/oauth-repositories";

/** Where a connection's profile claims are read (OIDC Core §5.1 names by default). */
export interface ClaimMapping {
  subject: string;
  email: string;
  /** A claim that is true (or the string "true") when the provider verified the address; null: never verified. */
  emailVerified: string | null;
  name: string;
}

/**
 * The fixed facts of a provider. `oidc` presets are discovery-driven (OIDC
 * Discovery §4); GitHub is plain OAuth 2.0 with its REST user API.
 */
export interface ProviderPreset {
  protocol: "oidc" | "oauth2";
  issuer?: string;
  authorizationEndpoint?: string;
  tokenEndpoint?: string;
  userinfoEndpoint?: string;
  defaultScopes: string[];
  claims: ClaimMapping;
}

export const OIDC_CLAIMS: ClaimMapping = { subject: "sub", email: "email", emailVerified: "email_verified", name: "name" };

export const GOOGLE_ISSUER = "https://accounts.google.com";
export const APPLE_ISSUER = "https://appleid.apple.com";
export const MICROSOFT_LOGIN = "https://login.microsoftonline.com";
export const GITHUB_AUTHORIZE = "https://github.com/login/oauth/authorize";
export const GITHUB_TOKEN = "https://github.com/login/oauth/access_token";
export const GITHUB_API = "https://api.github.com";

/** Microsoft's Entra tenants that stand for "any tenant": their discovery `iss` is the `{tenantid}` template. */
export const MICROSOFT_MULTI_TENANT = ["common", "organizations", "consumers"] as const;
/** The tenant id of personal Microsoft accounts. */
export const MICROSOFT_CONSUMERS_TID = "9188040d-6c67-4c5b-b112-36a304b66dad";

const presets: Record<Exclude<UpstreamProviderKind, "oidc" | "oauth2">, ProviderPreset> = {
  google: { protocol: "oidc", issuer: GOOGLE_ISSUER, defaultScopes: ["openid", "email", "profile"], claims: OIDC_CLAIMS },
  // Microsoft's `email` claim is not verified and can be set by a tenant admin ("nOAuth"); only the optional
  // `xms_edov` claim (email domain owner verified) proves it, so it is the only thing that may link accounts.
  microsoft: {
    protocol: "oidc",
    defaultScopes: ["openid", "email", "profile"],
    claims: { ...OIDC_CLAIMS, emailVerified: "xms_edov" },
  },
  github: {
    protocol: "oauth2",
    authorizationEndpoint: GITHUB_AUTHORIZE,
    tokenEndpoint: GITHUB_TOKEN,
    userinfoEndpoint: `${GITHUB_API}/user`,
    defaultScopes: ["read:user", "user:email"],
    // /user carries no verification flag: github-profile.ts reads the verified primary address from /user/emails.
    claims: { subject: "id", email: "email", emailVerified: null, name: "name" },
  },
  // Apple asserts `email_verified` (as the string "true"); `name` is sent once, in the form post's `user` field.
  apple: { protocol: "oidc", issuer: APPLE_ISSUER, defaultScopes: ["openid", "name", "email"], claims: OIDC_CLAIMS },
};

/** The issuer a Microsoft connection discovers from: `https://login.microsoftonline.com/{tenant}/v2.0`. */
export const microsoftIssuer = (tenant: string): string => `${MICROSOFT_LOGIN}/${tenant}/v2.0`;

/** The provider facts for a connection: the preset's, or for `oidc`/`oauth2` what the admin configured. */
export function presetFor(connection: Pick<UpstreamConnection, "kind" | "issuer" | "authorizationEndpoint" | "tokenEndpoint" | "userinfoEndpoint" | "options">): ProviderPreset {
  switch (connection.kind) {
    case "oidc":
      return { protocol: "oidc", issuer: connection.issuer ?? undefined, defaultScopes: ["openid", "email", "profile"], claims: claimMapping(connection.options) };
    case "oauth2":
      return {
        protocol: "oauth2",
        authorizationEndpoint: connection.authorizationEndpoint ?? undefined,
        tokenEndpoint: connection.tokenEndpoint ?? undefined,
        userinfoEndpoint: connection.userinfoEndpoint ?? undefined,
        defaultScopes: [],
        claims: claimMapping(connection.options),
      };
    case "microsoft":
      return { ...presets.microsoft, issuer: microsoftIssuer(microsoftTenant(connection.options)) };
    case "github": {
      const base = githubEnterpriseUrl(connection.options);
      if (!base) return presets.github;
      return {
        ...presets.github,
        authorizationEndpoint: `${base}/login/oauth/authorize`,
        tokenEndpoint: `${base}/login/oauth/access_token`,
        userinfoEndpoint: `${githubApiBase(connection.options)}/user`,
      };
    }
    default:
      return presets[connection.kind];
  }
}

/** The Entra tenant of a Microsoft connection (`options.tenant`), `common` when unset. */
export function microsoftTenant(options: Record<string, unknown>): string {
  return typeof options.tenant === "string" && options.tenant ? options.tenant : "common";
}

/** GitHub Enterprise Server's base URL (`options.enterprise_url`), null for github.com. */
export function githubEnterpriseUrl(options: Record<string, unknown>): string | null {
  return typeof options.enterprise_url === "string" && options.enterprise_url ? options.enterprise_url.replace(/\/+$/, "") : null;
}

/** GitHub's REST API base: api.github.com, or `{enterprise_url}/api/v3` on GitHub Enterprise Server. */
export function githubApiBase(options: Record<string, unknown>): string {
  const base = githubEnterpriseUrl(options);
  return base ? `${base}/api/v3` : GITHUB_API;
}

/** `options.claims` of a generic connection over the OIDC defaults. */
export function claimMapping(options: Record<string, unknown>): ClaimMapping {
  const claims = typeof options.claims === "object" && options.claims !== null ? (options.claims as Record<string, unknown>) : {};
  const pick = (key: string, fallback: string) => (typeof claims[key] === "string" && claims[key] ? (claims[key] as string) : fallback);
  return {
    subject: pick("subject", OIDC_CLAIMS.subject),
    email: pick("email", OIDC_CLAIMS.email),
    emailVerified: pick("email_verified", "email_verified"),
    name: pick("name", OIDC_CLAIMS.name),
  };
}

/** Scopes asked for: the connection's own, else the preset's defaults; `openid` is always asked of an OIDC provider. */
export function requestedScopes(connection: Pick<UpstreamConnection, "scopes">, preset: ProviderPreset): string[] {
  const scopes = connection.scopes.length > 0 ? connection.scopes : preset.defaultScopes;
  return preset.protocol === "oidc" && !scopes.includes("openid") ? ["openid", ...scopes] : scopes;
}
