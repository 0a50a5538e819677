import { z } from "zod";
import { emailSchema, metadataSchema, slugSchema, timestamp } from "./common";
import { redirectUrlSchema } from "./email";

/** Roles every tenant has; custom roles add to them (never replace them). */
export const BUILT_IN_ROLES = ["owner", "admin", "member", "viewer"] as const;
export type BuiltInRole = (typeof BUILT_IN_ROLES)[number];

/** A role key: a built-in role or a tenant's custom role. */
export const roleKeySchema = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and underscores, starting with a letter");

/** `resource:action`; the action may be `*` (every action on the resource). */
export const permissionSchema = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9_.-]*:(\*|[a-z][a-z0-9_.-]*)$/, "must be resource:action, e.g. documents:edit or documents:*");

const nameSchema = z.string().trim().min(1).max(100);

export const organizationSchema = z.object({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  role: roleKeySchema.optional().describe("The caller's role in it (user API only)"),
  created_at: timestamp,
  updated_at: timestamp,
});

export const createOrganizationRequestSchema = z.strictObject({
  name: nameSchema,
  slug: slugSchema.optional().describe("Unique in the tenant; derived from the name when left out"),
  metadata: metadataSchema.optional(),
});

export const updateOrganizationRequestSchema = z
  .strictObject({ name: nameSchema, slug: slugSchema, metadata: metadataSchema })
  .partial();

export const memberSchema = z.object({
  user_id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: roleKeySchema,
  created_at: timestamp,
  updated_at: timestamp,
});

export const updateMemberRequestSchema = z.strictObject({ role: roleKeySchema });
export const addMemberRequestSchema = z.strictObject({ user_id: z.string().min(1).max(64), role: roleKeySchema });
export const transferOwnershipRequestSchema = z.strictObject({
  user_id: z.string().min(1).max(64).describe("A current member; becomes owner, the caller becomes admin"),
});

export const invitationSchema = z.object({
  id: z.string(),
  organization_id: z.string(),
  email: z.string(),
  role: roleKeySchema,
  status: z.enum(["pending", "accepted", "revoked"]),
  invited_by: z.string().nullable(),
  created_at: timestamp,
  expires_at: timestamp,
});

export const createInvitationRequestSchema = z.strictObject({
  email: emailSchema,
  role: roleKeySchema.default("member"),
  redirect_url: redirectUrlSchema.optional(),
});

export const acceptInvitationRequestSchema = z.strictObject({ token: z.string().min(1).max(256) });

export const adminCreateOrganizationRequestSchema = createOrganizationRequestSchema.extend({
  owner_user_id: z.string().min(1).max(64).describe("Becomes the first owner"),
});

export const activeOrganizationRequestSchema = z.strictObject({
  organization_id: z.string().min(1).max(64).nullable().describe("null clears the active organization"),
});

export const activeOrganizationResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  organization_id: z.string().nullable(),
  org_role: roleKeySchema.nullable(),
});

export const customRoleSchema = z.object({
  key: roleKeySchema,
  name: z.string(),
  description: z.string().nullable(),
  permissions: z.array(permissionSchema),
  built_in: z.boolean(),
  created_at: timestamp.nullable(),
  updated_at: timestamp.nullable(),
});

export const customRoleRequestSchema = z.strictObject({
  name: nameSchema,
  description: z.string().trim().max(500).nullable().optional(),
  permissions: z.array(permissionSchema).max(200),
});
export const createCustomRoleRequestSchema = customRoleRequestSchema.extend({ key: roleKeySchema });
