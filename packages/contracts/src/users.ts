import { z } from "zod";
import { emailSchema, metadataSchema, passwordSchema, timestamp } from "./common";

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  email_verified: z.boolean(),
  name: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  role: z.enum(["user", "admin"]),
  banned: z.boolean(),
  ban_reason: z.string().nullable(),
  created_at: timestamp,
  updated_at: timestamp,
  last_sign_in_at: timestamp.nullable(),
});
export type UserView = z.infer<typeof userSchema>;

export const signUpRequestSchema = z.object({
  email: emailSchema,
  password: passwordSchema,
  name: z.string().trim().min(1).max(200).optional(),
  redirect_url: z.string().max(2_048).optional().describe("Where the verification link points; on one of the tenant's allowed origins"),
});

export const updateMeRequestSchema = z
  .object({ name: z.string().trim().min(1).max(200).nullable(), metadata: metadataSchema })
  .partial()
  .strict();

export const changePasswordRequestSchema = z.object({
  current_password: passwordSchema,
  new_password: passwordSchema,
});

export const adminListUsersQuerySchema = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  query: z.string().trim().min(1).max(200).optional().describe("Prefix of the email or name"),
  banned: z.enum(["true", "false"]).optional(),
});

export const adminUpdateUserRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(200).nullable(),
    email: emailSchema,
    email_verified: z.boolean(),
    metadata: metadataSchema,
    role: z.enum(["user", "admin"]),
  })
  .partial()
  .strict();

export const adminBanUserRequestSchema = z.object({ reason: z.string().trim().max(500).optional() });

export const adminCreateUserRequestSchema = z.object({
  email: emailSchema,
  password: passwordSchema.optional(),
  /** An imported PHC/bcrypt/Django hash, upgraded to argon2id on next sign-in. */
  password_hash: z.string().min(1).max(512).optional(),
  name: z.string().trim().min(1).max(200).optional(),
  email_verified: z.boolean().optional(),
  role: z.enum(["user", "admin"]).optional(),
});
