import { z } from "zod";
import { emailSchema } from "./common";
import { clientAuthMethodSchema, clientJwksSchema, httpsUrlSchema, oauthGrantTypeSchema, redirectUriListSchema } from "./oauth-clients";

/**
 * Dynamic Client Registration (RFC 7591) and its management protocol
 * (RFC 7592) at `{issuer}/oauth/register[/{client_id}]`. Names are RFC 7591 §2
 * and OpenID Connect Dynamic Client Registration 1.0 §2; metadata Plinto does
 * not understand is ignored (RFC 7591 §2). Any invalid value answers
 * `invalid_client_metadata` (or `invalid_redirect_uri`) per RFC 7591 §3.2.2.
 */
export const clientRegistrationRequestSchema = z.object({
  redirect_uris: redirectUriListSchema.optional(),
  /** RFC 7591 §2: defaults to client_secret_basic. */
  token_endpoint_auth_method: clientAuthMethodSchema.optional(),
  /** RFC 7591 §2: defaults to ["authorization_code"]. */
  grant_types: z.array(oauthGrantTypeSchema).min(1).max(4).optional(),
  /** RFC 7591 §2: only `code` (the authorization code flow) is supported. */
  response_types: z.array(z.literal("code")).max(1).optional(),
  client_name: z.string().trim().min(1).max(100).optional(),
  client_uri: httpsUrlSchema.optional(),
  logo_uri: httpsUrlSchema.optional(),
  policy_uri: httpsUrlSchema.optional(),
  tos_uri: httpsUrlSchema.optional(),
  contacts: z.array(emailSchema).max(10).optional(),
  /** RFC 7591 §2: space-separated scope values the client may request. */
  scope: z.string().max(4_000).optional(),
  jwks: clientJwksSchema.optional(),
  /** Refused with invalid_client_metadata: keys by reference are never fetched (no outbound calls at authentication); send `jwks`. */
  jwks_uri: z.string().max(2_048).optional(),
  software_id: z.string().max(200).optional(),
  software_version: z.string().max(100).optional(),
  /** OIDC Registration §2: `native` apps may use private-use URI schemes (RFC 8252 §7.1) when public. */
  application_type: z.enum(["web", "native"]).optional(),
  /** OIDC RP-Initiated Logout 1.0 §3.1. */
  post_logout_redirect_uris: redirectUriListSchema.optional(),
});
export type ClientRegistrationRequest = z.infer<typeof clientRegistrationRequestSchema>;

/** RFC 7592 §2.2: an update carries the client_id, and the current client_secret if it sends one. */
export const clientUpdateRequestSchema = clientRegistrationRequestSchema.extend({
  client_id: z.string().max(128),
  client_secret: z.string().max(512).optional(),
});

/** RFC 7591 §3.2.1 client information response (also RFC 7592 §3). */
export const clientInformationResponseSchema = z.object({
  client_id: z.string(),
  /** Only when issued by this response (registration, or a change to a secret-based method); stored hashed. */
  client_secret: z.string().optional(),
  client_id_issued_at: z.number().int(),
  /** Present with a secret-based method; 0 = does not expire. */
  client_secret_expires_at: z.number().int().optional(),
  /** RFC 7592 §3: bearer token for `registration_client_uri`. */
  registration_access_token: z.string(),
  registration_client_uri: z.string(),
  client_name: z.string(),
  redirect_uris: z.array(z.string()),
  token_endpoint_auth_method: clientAuthMethodSchema,
  grant_types: z.array(oauthGrantTypeSchema),
  response_types: z.array(z.literal("code")),
  scope: z.string(),
  application_type: z.enum(["web", "native"]),
  post_logout_redirect_uris: z.array(z.string()),
  jwks: clientJwksSchema.optional(),
  client_uri: z.string().optional(),
  logo_uri: z.string().optional(),
  policy_uri: z.string().optional(),
  tos_uri: z.string().optional(),
  contacts: z.array(z.string()).optional(),
  software_id: z.string().optional(),
  software_version: z.string().optional(),
});
export type ClientInformationResponse = z.infer<typeof clientInformationResponseSchema>;
