import { z } from "zod";
import { emailSchema, timestamp } from "./common";
import { MAX_ACCESS_TOKEN_TTL_SECONDS, scopeTokenSchema } from "./settings";

/**
 * OAuth clients of a tenant's provider (issue 7): the management API
 * (`/api/v1/admin/oauth/clients`) and the metadata shared with Dynamic Client
 * Registration (oauth-registration.ts). Metadata names follow RFC 7591 §2.
 */

/** RFC 7591 §2 `grant_types` Plinto supports. */
export const oauthGrantTypes = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code",
] as const;
export const oauthGrantTypeSchema = z.enum(oauthGrantTypes);

/** RFC 7591 §2 `token_endpoint_auth_method` values Plinto supports. */
export const clientAuthMethods = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const;
export const clientAuthMethodSchema = z.enum(clientAuthMethods);

export const clientTypeSchema = z.enum(["confidential", "public"]);

/** Shown on the consent screen and linked from it, so https only. */
export const httpsUrlSchema = z
  .string()
  .max(2_048)
  .url()
  .refine((value) => value.startsWith("https://"), "must be an https URL");

/** RFC 7591 §2 `jwks`: the client's public keys (private_key_jwt); checked key by key when saved. */
export const clientJwksSchema = z
  .object({ keys: z.array(z.record(z.string(), z.unknown())).min(1).max(10) })
  .refine((value) => JSON.stringify(value).length <= 16_384, "must serialise to at most 16 KiB");

/** A redirect URI as sent; its rules (absolute, no fragment, https/loopback/private-use scheme) are checked when saved. */
export const redirectUriListSchema = z.array(z.string().min(1).max(2_048)).max(20);
/** RFC 8707 resource indicators; each must be one of the tenant's APIs (settings.oauth.resources). */
const resourceListSchema = z.array(z.string().max(2_048)).max(50);
const scopeListSchema = z.array(scopeTokenSchema).max(100);

const accessTtl = z.number().int().min(60).max(MAX_ACCESS_TOKEN_TTL_SECONDS);
const refreshTtl = z.number().int().min(3_600).max(365 * 86_400);

/** Display metadata (RFC 7591 §2); null/absent means none. */
const displayFields = {
  client_uri: httpsUrlSchema.nullable(),
  logo_uri: httpsUrlSchema.nullable(),
  policy_uri: httpsUrlSchema.nullable(),
  tos_uri: httpsUrlSchema.nullable(),
  contacts: z.array(emailSchema).max(10),
};

export const oauthClientSchema = z.object({
  client_id: z.string().describe("cli_... ; the OAuth client_id"),
  name: z.string(),
  type: clientTypeSchema,
  first_party: z.boolean().describe("First-party clients skip the consent screen"),
  token_endpoint_auth_method: clientAuthMethodSchema,
  redirect_uris: z.array(z.string()),
  post_logout_redirect_uris: z.array(z.string()),
  grant_types: z.array(oauthGrantTypeSchema),
  allowed_scopes: z.array(z.string()),
  allowed_resources: z.array(z.string()),
  jwks: clientJwksSchema.nullable(),
  access_token_ttl_seconds: z.number().int().nullable().describe("null: the tenant's setting"),
  refresh_token_ttl_seconds: z.number().int().nullable().describe("null: the tenant's setting"),
  ...displayFields,
  created_via: z.enum(["admin", "dynamic"]),
  created_at: timestamp,
  updated_at: timestamp,
});
export type OAuthClientView = z.infer<typeof oauthClientSchema>;

export const createdOAuthClientSchema = oauthClientSchema.extend({
  client_secret: z
    .string()
    .optional()
    .describe("cs_... ; present for client_secret_basic/post clients and shown only in this response"),
});

const editableFields = {
  name: z.string().trim().min(1).max(100),
  type: clientTypeSchema,
  first_party: z.boolean(),
  token_endpoint_auth_method: clientAuthMethodSchema,
  redirect_uris: redirectUriListSchema,
  post_logout_redirect_uris: redirectUriListSchema,
  grant_types: z.array(oauthGrantTypeSchema).min(1).max(oauthGrantTypes.length),
  allowed_scopes: scopeListSchema,
  allowed_resources: resourceListSchema,
  jwks: clientJwksSchema.nullable(),
  access_token_ttl_seconds: accessTtl.nullable(),
  refresh_token_ttl_seconds: refreshTtl.nullable(),
  ...displayFields,
};

/**
 * Defaults: type confidential with client_secret_basic (a `none` method means
 * public, and public means `none`), grant_types [authorization_code]
 * (RFC 7591 §2), allowed_scopes `openid profile email` (+ offline_access with
 * the refresh_token grant; none without a user grant), tenant token lifetimes.
 */
export const createOAuthClientRequestSchema = z
  .object({
    name: editableFields.name,
    type: editableFields.type.optional(),
    first_party: editableFields.first_party.default(false),
    token_endpoint_auth_method: editableFields.token_endpoint_auth_method.optional(),
    redirect_uris: editableFields.redirect_uris.default([]),
    post_logout_redirect_uris: editableFields.post_logout_redirect_uris.default([]),
    grant_types: editableFields.grant_types.default(["authorization_code"]),
    allowed_scopes: editableFields.allowed_scopes.optional(),
    allowed_resources: editableFields.allowed_resources.default([]),
    jwks: editableFields.jwks.default(null),
    access_token_ttl_seconds: editableFields.access_token_ttl_seconds.default(null),
    refresh_token_ttl_seconds: editableFields.refresh_token_ttl_seconds.default(null),
    client_uri: editableFields.client_uri.default(null),
    logo_uri: editableFields.logo_uri.default(null),
    policy_uri: editableFields.policy_uri.default(null),
    tos_uri: editableFields.tos_uri.default(null),
    contacts: editableFields.contacts.default([]),
  })
  .strict();
export type CreateOAuthClientRequest = z.infer<typeof createOAuthClientRequestSchema>;

/** Any subset of the fields; the result is validated whole. */
export const updateOAuthClientRequestSchema = z.object(editableFields).partial().strict();
export type UpdateOAuthClientRequest = z.infer<typeof updateOAuthClientRequestSchema>;

/** PATCH answer: the client, plus a new secret when the change moved it to a secret-based method. */
export const updatedOAuthClientSchema = createdOAuthClientSchema;

export const rotatedOAuthClientSecretSchema = z.object({
  client_id: z.string(),
  client_secret: z.string().describe("The new cs_... secret; the previous one stops working now. Shown only in this response"),
});

/** RFC 7591 §3 initial access token for DCR when settings.oauth.dynamic_registration is initial_access_token. */
export const createInitialAccessTokenRequestSchema = z
  .object({
    expires_in: z.number().int().min(60).max(30 * 86_400).default(86_400),
    max_uses: z.number().int().min(1).max(1_000).default(1),
  })
  .strict();

export const initialAccessTokenSchema = z.object({
  initial_access_token: z.string().describe("iat_... ; shown only in this response"),
  expires_at: timestamp,
  max_uses: z.number().int(),
});
