import { z } from "zod";

/** OIDC Core §5.3.2 UserInfo response: `sub` always, other claims by granted scope (§5.4). */
export const oauthUserInfoResponseSchema = z.object({
  sub: z.string(),
  name: z.string().optional().describe("scope profile"),
  updated_at: z.number().int().optional().describe("scope profile; seconds since the epoch"),
  email: z.string().optional().describe("scope email"),
  email_verified: z.boolean().optional().describe("scope email"),
});
export type OAuthUserInfoResponseBody = z.infer<typeof oauthUserInfoResponseSchema>;
