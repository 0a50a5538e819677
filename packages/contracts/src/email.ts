import { z } from "zod";
import { emailSchema, passwordSchema, timestamp } from "./common";
import { userSchema } from "./users";

/** Must be on one of the tenant's allowed_origins; `?token=...&type=...` is appended. */
export const redirectUrlSchema = z.string().max(2_048).describe("Link target on one of the tenant's allowed origins; defaults to settings.email.link_base_url");

/** One-time link tokens are 256-bit base64url strings; anything much longer is not one of ours. */
const linkTokenSchema = z.string().min(1).max(256);

export const emailRequestSchema = z.object({ email: emailSchema, redirect_url: redirectUrlSchema.optional() });
export const emailCodeRequestSchema = z.object({ email: emailSchema });
export const verificationResendSchema = z.object({
  email: emailSchema.optional().describe("Only without a bearer token: the address to re-send to"),
  redirect_url: redirectUrlSchema.optional(),
});

export const linkTokenRequestSchema = z.object({ token: linkTokenSchema });
export const passwordResetConfirmSchema = z.object({ token: linkTokenSchema, new_password: passwordSchema });
export const emailCodeSignInSchema = z.object({
  email: emailSchema,
  code: z.string().regex(/^\d{6}$/, "six digits"),
});

/** The same body for every address, known or not. */
export const emailAcceptedSchema = z.object({
  status: z.literal("accepted"),
  message: z.string(),
});

export const emailVerifiedSchema = z.object({ status: z.literal("verified"), user: userSchema });
export const passwordResetDoneSchema = z.object({ status: z.literal("password_reset"), revoked_sessions: z.number().int() });

/** `POST /identities` when the tenant requires a verified address: the account exists, no session yet. */
export const verificationRequiredSchema = z.object({ status: z.literal("email_verification_required"), user: userSchema });

/** Every email Plinto sends; each has a built-in default template (packages/core/src/email/templates.ts). */
export const emailKindSchema = z.enum([
  "email_verification",
  "password_reset",
  "magic_link",
  "email_code",
  "password_changed",
  "recovery_code_used",
  "organization_invitation",
]);

export const emailTemplateBodySchema = z
  .object({
    subject: z.string().trim().min(1).max(200),
    text: z.string().min(1).max(20_000),
    html: z.string().min(1).max(40_000),
  })
  .strict();

export const emailTemplateSchema = emailTemplateBodySchema.extend({
  kind: emailKindSchema,
  variables: z.array(z.string()).describe("The {{variables}} this kind's templates may use"),
  customized: z.boolean().describe("False: the built-in default is in force"),
  updated_at: timestamp.nullable(),
});
