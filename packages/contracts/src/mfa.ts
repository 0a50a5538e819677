import { z } from "zod";
import { passwordSchema, timestamp } from "./common";
import { authenticationCredentialSchema } from "./passkeys";
import { tokenResponseSchema } from "./sessions";

/** The `mfa_token` of an `mfa_required` sign-in answer. */
export const mfaTokenSchema = z.string().min(1).max(256).describe("From the mfa_required sign-in answer; single use");

/** A TOTP code as authenticator apps show it: 6 digits (RFC 6238 with Plinto's parameters). */
export const totpCodeSchema = z.string().trim().regex(/^\d{6}$/, "must be the 6 digits the authenticator app shows");

/** A recovery code as shown at enrolment (`XXXX-XXXX-XXXX`); case, spaces and dashes are ignored. */
export const recoveryCodeSchema = z.string().trim().min(8).max(32);

/** `POST /sessions/mfa`: a TOTP code, or a recovery code. */
export const mfaVerifyRequestSchema = z.union([
  z.object({ mfa_token: mfaTokenSchema, code: totpCodeSchema }).strict(),
  z.object({ mfa_token: mfaTokenSchema, recovery_code: recoveryCodeSchema }).strict(),
]);

export const mfaTokenRequestSchema = z.object({ mfa_token: mfaTokenSchema }).strict();

export const recoveryCodesSchema = z
  .array(z.string())
  .describe("Ten single-use recovery codes. Shown once: only their digests are stored");

/** Tokens after a passed challenge; `recovery_codes` when the answer activated a new TOTP factor (enrolment). */
export const mfaSignInResponseSchema = tokenResponseSchema.extend({ recovery_codes: recoveryCodesSchema.optional() });

/** Shown once when TOTP enrolment starts; the secret is never shown again. */
export const totpEnrollmentSchema = z.object({
  factor_id: z.string(),
  secret: z.string().describe("Base32 shared secret (RFC 4648 §6) for manual entry"),
  otpauth_uri: z.string().describe("otpauth://totp/ key URI"),
  qr_svg: z.string().describe("The key URI as a QR code, SVG source"),
  algorithm: z.literal("SHA1"),
  digits: z.literal(6),
  period: z.literal(30),
});

export const totpActivateRequestSchema = z.object({ code: totpCodeSchema }).strict();

export const recoveryCodesResponseSchema = z.object({ recovery_codes: recoveryCodesSchema });

/** `GET /me/mfa`: what second factors the user has; never secrets. */
export const mfaSummarySchema = z.object({
  totp: z.object({ status: z.enum(["none", "pending", "active"]) }),
  recovery_codes_remaining: z.number().int(),
  passkeys: z.number().int(),
  required: z.boolean().describe("The tenant's policy requires a second factor for this user"),
});

/** `POST /me/step-up`: one proof, given again. */
export const stepUpRequestSchema = z.union([
  z.object({ password: passwordSchema }).strict(),
  z.object({ code: totpCodeSchema }).strict(),
  z.object({ recovery_code: recoveryCodeSchema }).strict(),
  z
    .object({
      passkey: authenticationCredentialSchema.describe(
        "AuthenticationResponseJSON (`credential.toJSON()`) answering the options of `POST /me/step-up/passkey/options`",
      ),
    })
    .strict(),
]);

export type StepUpRequest = z.infer<typeof stepUpRequestSchema>;

export const stepUpResponseSchema = z.object({
  session_id: z.string(),
  verified_at: timestamp.describe("When this session last authenticated (RFC 9470 auth_time)"),
  amr: z.array(z.string()).describe("RFC 8176 methods this session has proved"),
  max_age: z.number().int().describe("Sensitive actions are allowed until verified_at + max_age seconds"),
});
