import { z } from "zod";

/**
 * Token endpoint request (RFC 6749 §4.1.3, §4.4.2, §6; RFC 7636 §4.5;
 * RFC 8628 §3.4; RFC 8707 §2), sent as application/x-www-form-urlencoded.
 * Documentation only: the endpoint reads the form itself, because a parameter
 * may not be repeated (RFC 6749 §3.1) except `resource`.
 */
export const oauthTokenRequestSchema = z.object({
  grant_type: z.enum([
    "authorization_code",
    "refresh_token",
    "client_credentials",
    "urn:ietf:params:oauth:grant-type:device_code",
  ]),
  code: z.string().optional().describe("authorization_code: the code from the redirect"),
  redirect_uri: z.string().optional().describe("authorization_code: exactly the redirect_uri of the authorization request"),
  code_verifier: z.string().min(43).max(128).optional().describe("authorization_code: the PKCE verifier (S256 only)"),
  refresh_token: z.string().optional().describe("refresh_token: an OAuth refresh token (`ort_...`)"),
  device_code: z.string().optional().describe("device_code grant: the device_code from the device authorization response"),
  scope: z.string().optional().describe("Space-delimited; at refresh it may only narrow the grant"),
  resource: z.string().optional().describe("RFC 8707 resource indicator; may be repeated"),
  client_id: z.string().optional().describe("client_secret_post and public clients"),
  client_secret: z.string().optional().describe("client_secret_post"),
  client_assertion_type: z.string().optional().describe("private_key_jwt: urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
  client_assertion: z.string().optional().describe("private_key_jwt: the signed client assertion (RFC 7523)"),
});

/** RFC 6749 §5.1 successful response, plus the OIDC Core §3.1.3.3 id_token. */
export const oauthTokenResponseSchema = z.object({
  access_token: z.string().describe("RFC 9068 JWT access token (typ at+jwt)"),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  scope: z.string(),
  refresh_token: z.string().optional().describe("Only with offline_access and the refresh_token grant; rotated on every use"),
  id_token: z.string().optional().describe("Only when openid was granted"),
});
export type OAuthTokenResponseBody = z.infer<typeof oauthTokenResponseSchema>;

/** RFC 6749 §5.2 error response of every OAuth endpoint. */
export const oauthErrorSchema = z.object({
  error: z.string().describe("invalid_request, invalid_client, invalid_grant, unauthorized_client, unsupported_grant_type, invalid_scope, invalid_target, ..."),
  error_description: z.string().optional(),
});
