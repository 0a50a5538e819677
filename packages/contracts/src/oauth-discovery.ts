import { z } from "zod";

/**
 * OpenID Provider Metadata (OIDC Discovery 1.0 §3) = OAuth 2.0 Authorization
 * Server Metadata (RFC 8414 §2), as served at
 * `{issuer}/.well-known/openid-configuration` and
 * `{origin}/.well-known/oauth-authorization-server/t/{tenant}`.
 */
export const providerMetadataSchema = z.looseObject({
  issuer: z.string().url(),
  authorization_endpoint: z.string().url(),
  token_endpoint: z.string().url(),
  userinfo_endpoint: z.string().url(),
  jwks_uri: z.string().url(),
  registration_endpoint: z.string().url().optional().describe("Only when the tenant enables dynamic client registration"),
  scopes_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
  response_modes_supported: z.array(z.string()),
  grant_types_supported: z.array(z.string()),
  subject_types_supported: z.array(z.string()),
  id_token_signing_alg_values_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
  code_challenge_methods_supported: z.array(z.string()),
  claims_supported: z.array(z.string()),
  revocation_endpoint: z.string().url(),
  introspection_endpoint: z.string().url(),
  end_session_endpoint: z.string().url(),
  device_authorization_endpoint: z.string().url(),
  authorization_response_iss_parameter_supported: z.boolean(),
  request_parameter_supported: z.boolean(),
  request_uri_parameter_supported: z.boolean(),
  claims_parameter_supported: z.boolean(),
});
export type ProviderMetadataBody = z.infer<typeof providerMetadataSchema>;
