import { z } from "zod";

/** RFC 8628 §3.1 device authorization request (form). Documentation only: the endpoint reads the form itself. */
export const oauthDeviceAuthorizationRequestSchema = z.object({
  client_id: z.string().optional().describe("Public clients, and client_secret_post"),
  scope: z.string().optional().describe("Space-delimited; omitted means the client's registered scopes"),
  resource: z.string().optional().describe("RFC 8707 resource indicator; may be repeated"),
  client_secret: z.string().optional().describe("client_secret_post"),
  client_assertion_type: z.string().optional().describe("private_key_jwt"),
  client_assertion: z.string().optional().describe("private_key_jwt (RFC 7523)"),
});

/** RFC 8628 §3.2 device authorization response. */
export const oauthDeviceAuthorizationResponseSchema = z.object({
  device_code: z.string().describe("Polled at the token endpoint with grant_type urn:ietf:params:oauth:grant-type:device_code"),
  user_code: z.string().describe("XXXX-XXXX from BCDFGHJKLMNPQRSTVWXZ (RFC 8628 §6.1)"),
  verification_uri: z.string().url().describe("{issuer}/device"),
  verification_uri_complete: z.string().url().describe("{issuer}/device?user_code=XXXX-XXXX"),
  expires_in: z.number().int(),
  interval: z.number().int().describe("Seconds between polls; slow_down adds 5"),
});
export type OAuthDeviceAuthorizationResponseBody = z.infer<typeof oauthDeviceAuthorizationResponseSchema>;
