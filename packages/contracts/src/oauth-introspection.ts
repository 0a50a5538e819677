import { z } from "zod";

const clientAuthFields = {
  client_id: z.string().optional().describe("client_secret_post and public clients"),
  client_secret: z.string().optional().describe("client_secret_post"),
  client_assertion_type: z.string().optional().describe("private_key_jwt"),
  client_assertion: z.string().optional().describe("private_key_jwt (RFC 7523)"),
};

/** RFC 7662 §2.1 introspection request (form). Documentation only: the endpoint reads the form itself. */
export const oauthIntrospectionRequestSchema = z.object({
  token: z.string().describe("An access token or OAuth refresh token (`ort_...`) issued to the calling client"),
  token_type_hint: z.enum(["access_token", "refresh_token"]).optional().describe("A hint only; the token is found either way"),
  ...clientAuthFields,
});

/** RFC 7662 §2.2 introspection response. */
export const oauthIntrospectionResponseSchema = z.object({
  active: z.boolean(),
  scope: z.string().optional(),
  client_id: z.string().optional(),
  sub: z.string().optional(),
  exp: z.number().int().optional(),
  iat: z.number().int().optional(),
  nbf: z.number().int().optional(),
  aud: z.union([z.string(), z.array(z.string())]).optional(),
  iss: z.string().optional(),
  jti: z.string().optional(),
  token_type: z.literal("Bearer").optional().describe("Access tokens only"),
  sid: z.string().optional().describe("The grant's session (user grants)"),
});
export type OAuthIntrospectionResponseBody = z.infer<typeof oauthIntrospectionResponseSchema>;

/** RFC 7009 §2.1 revocation request (form). */
export const oauthRevocationRequestSchema = z.object({
  token: z.string(),
  token_type_hint: z.enum(["access_token", "refresh_token"]).optional(),
  ...clientAuthFields,
});
