import { z } from "zod";
import { slugSchema, timestamp } from "./common";

/** Upstream identity providers a tenant's users can sign in with (issue 7, docs/social-sign-in.md). */
export const upstreamProviderKinds = ["oidc", "oauth2", "google", "microsoft", "github", "apple"] as const;
export const upstreamProviderKindSchema = z.enum(upstreamProviderKinds);

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
const scopeToken = z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/, "an RFC 6749 §3.3 scope token");
const url = z.string().max(2_048);

/** Where a generic connection reads the profile from its claims (defaults: sub, email, email_verified, name). */
export const claimMappingSchema = z
  .object({ subject: z.string().max(100), email: z.string().max(100), email_verified: z.string().max(100), name: z.string().max(100) })
  .partial()
  .strict();

/**
 * Provider options; each kind accepts its own (others are refused):
 * oidc/oauth2 `claims`, `token_endpoint_auth_method`; microsoft `tenant`;
 * github `enterprise_url`; apple `team_id`, `key_id`, `private_key` (write-only).
 */
export const connectionOptionsSchema = z
  .object({
    claims: claimMappingSchema,
    token_endpoint_auth_method: z.enum(["client_secret_post", "client_secret_basic"]),
    tenant: z.string().max(100).describe("Microsoft Entra tenant: common (default), organizations, consumers, a tenant id or domain"),
    enterprise_url: url.describe("GitHub Enterprise Server base URL"),
    team_id: z.string().max(20).describe("Apple team id"),
    key_id: z.string().max(20).describe("Apple key id of the Sign in with Apple key"),
    private_key: z.string().max(4_000).describe("Apple .p8 key (PKCS #8 PEM); write-only, stored encrypted"),
  })
  .partial()
  .strict();

export const createConnectionRequestSchema = z
  .object({
    slug: slugSchema.describe("Used in the hosted-login paths /connections/{slug}/start and /callback"),
    kind: upstreamProviderKindSchema,
    display_name: z.string().min(1).max(100),
    enabled: z.boolean().default(true),
    client_id: z.string().min(1).max(500),
    client_secret: z.string().min(1).max(2_000).optional().describe("Write-only; stored encrypted"),
    issuer: url.optional().describe("kind oidc: the issuer, discovered at {issuer}/.well-known/openid-configuration"),
    authorization_endpoint: url.optional().describe("kind oauth2"),
    token_endpoint: url.optional().describe("kind oauth2"),
    userinfo_endpoint: url.optional().describe("kind oauth2: the user API giving the subject and email"),
    scopes: z.array(scopeToken).max(50).default([]).describe("Empty: the kind's defaults"),
    options: connectionOptionsSchema.default({}),
  })
  .strict();

export const updateConnectionRequestSchema = z
  .object({
    slug: slugSchema,
    display_name: z.string().min(1).max(100),
    enabled: z.boolean(),
    client_id: z.string().min(1).max(500),
    client_secret: z.string().min(1).max(2_000).nullable().describe("A new secret, or null to clear it"),
    issuer: url.nullable(),
    authorization_endpoint: url.nullable(),
    token_endpoint: url.nullable(),
    userinfo_endpoint: url.nullable(),
    scopes: z.array(scopeToken).max(50),
    options: connectionOptionsSchema.describe("Replaces the options as a whole; an omitted Apple private_key keeps the stored one"),
  })
  .partial()
  .strict();

export const connectionSchema = z.object({
  id: z.string(),
  slug: z.string(),
  kind: upstreamProviderKindSchema,
  display_name: z.string(),
  enabled: z.boolean(),
  client_id: z.string(),
  client_secret_set: z.boolean().describe("Whether a client secret is stored (it is never shown)"),
  issuer: z.string().nullable(),
  authorization_endpoint: z.string().nullable(),
  token_endpoint: z.string().nullable(),
  userinfo_endpoint: z.string().nullable(),
  scopes: z.array(z.string()),
  options: z.record(z.string(), z.unknown()).describe("Without the Apple private key"),
  private_key_set: z.boolean().describe("Apple: whether a signing key is stored"),
  redirect_uri: z.string().describe("Register this callback URL at the provider"),
  start_url: z.string().describe("Send the browser here to sign in (add ?request= to resume an authorization request)"),
  created_at: timestamp,
  updated_at: timestamp,
});
