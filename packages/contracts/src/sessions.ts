import { z } from "zod";
import { emailSchema, passwordSchema, timestamp } from "./common";
import { userSchema } from "./users";

export const signInRequestSchema = z.object({ email: emailSchema, password: passwordSchema });

export const refreshRequestSchema = z.object({ refresh_token: z.string().min(1).max(512) });

export const sessionSchema = z.object({
  id: z.string(),
  device: z.string().nullable().describe("Browser and OS from the user agent"),
  ip: z.string().nullable(),
  created_at: timestamp,
  last_used_at: timestamp,
  expires_at: timestamp,
  current: z.boolean(),
});

/** Token response; field names follow RFC 6749 §5.1. */
export const tokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  session_id: z.string(),
  user: userSchema.optional().describe("Present after sign-up and sign-in, not after refresh"),
});

/** `POST /sessions` when a second factor is due: no tokens yet, a challenge to answer at `POST /sessions/mfa`. */
export const mfaRequiredResponseSchema = z.object({
  status: z.literal("mfa_required"),
  mfa_token: z.string().describe("Single use; expires after expires_in seconds"),
  expires_in: z.number().int(),
  factors: z.array(z.enum(["totp", "recovery_code", "passkey"])),
  enrollment_required: z
    .boolean()
    .describe("The tenant requires MFA and the user has no factor yet: enrol TOTP with the mfa_token first"),
});

export const signInResponseSchema = z.union([tokenResponseSchema, mfaRequiredResponseSchema]);

export const revokedSessionsSchema = z.object({ revoked: z.array(z.string()) });
