import { z } from "zod";
import { timestamp } from "./common";
import { userSchema } from "./users";

/**
 * `GET /me/export` and `GET /admin/users/{id}/export`: everything Plinto
 * holds on a user (GDPR Art. 15 and 20). Never a secret: no password hash,
 * TOTP secret, recovery code or token, not even as a digest.
 */
export const userExportSchema = z.object({
  format: z.literal("plinto.user-export.v1"),
  exported_at: timestamp,
  profile: userSchema,
  identities: z
    .array(
      z.object({
        type: z.enum(["email", "password"]),
        email: z.string().optional(),
        verified: z.boolean().optional(),
        password_set: z.boolean().optional().describe("Whether a password is set; the hash is never exported"),
      }),
    )
    .describe("How the user signs in"),
  sessions: z.array(
    z.object({
      id: z.string(),
      ip: z.string().nullable(),
      user_agent: z.string().nullable(),
      amr: z.array(z.string()),
      created_at: timestamp,
      last_used_at: timestamp,
      expires_at: timestamp,
    }),
  ),
  mfa: z.object({
    totp: z.object({ status: z.enum(["pending", "active"]), created_at: timestamp, activated_at: timestamp.nullable() }).nullable(),
    recovery_codes_remaining: z.number().int(),
  }),
  passkeys: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        device_type: z.enum(["singleDevice", "multiDevice"]),
        backed_up: z.boolean(),
        transports: z.array(z.string()),
        aaguid: z.string().nullable(),
        created_at: timestamp,
        last_used_at: timestamp.nullable(),
      }),
    )
    .describe("Credential metadata; the public key and credential id are left out (no use to the person, and not secrets)"),
  organizations: z
    .array(z.object({ id: z.string(), name: z.string(), role: z.string(), joined_at: timestamp }))
    .describe("Organizations the user is a member of, with the role held, oldest first"),
  invitations: z
    .array(
      z.object({
        id: z.string(),
        organization_id: z.string(),
        organization_name: z.string(),
        role: z.string(),
        created_at: timestamp,
        expires_at: timestamp,
      }),
    )
    .describe("Pending invitations addressed to the user's email, newest first; the link token is never exported"),
  consents: z
    .array(
      z.object({
        client_id: z.string(),
        client_name: z.string().nullable(),
        scopes: z.array(z.string()),
        created_at: timestamp,
        updated_at: timestamp,
      }),
    )
    .describe("Scopes the user allowed third-party OAuth clients (remembered consent), oldest first"),
  linked_identities: z
    .array(
      z.object({
        id: z.string(),
        connection_id: z.string(),
        connection_name: z.string().nullable(),
        provider: z.string().nullable(),
        subject: z.string(),
        email: z.string().nullable(),
        profile: z.record(z.string(), z.unknown()),
        created_at: timestamp,
        last_sign_in_at: timestamp.nullable(),
      }),
    )
    .describe("The user's accounts at upstream providers (social and enterprise sign-in), with the last profile claims seen; never tokens"),
  audit_events: z
    .array(
      z.object({
        id: z.string(),
        type: z.string(),
        actor: z.object({ type: z.string(), id: z.string().nullable() }),
        subject_id: z.string().nullable(),
        ip: z.string().nullable(),
        user_agent: z.string().nullable(),
        data: z.record(z.string(), z.unknown()),
        created_at: timestamp,
      }),
    )
    .describe("Events about the user, oldest first; another actor's id, IP and user agent are left out"),
});
export type UserExportBody = z.infer<typeof userExportSchema>;
