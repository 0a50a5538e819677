import { z } from "zod";
import { slugSchema, timestamp } from "./common";
import { originSchema, tenantSettingsSchema } from "./settings";

export const createTenantRequestSchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(200),
  allowed_origins: z.array(originSchema).max(100).optional(),
});

export const tenantSchema = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  issuer: z.string(),
  settings: tenantSettingsSchema,
  created_at: timestamp,
});

export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  created_at: timestamp,
  last_used_at: timestamp.nullable(),
  revoked_at: timestamp.nullable(),
});

/** The only response that ever carries the secret key. */
export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string().describe("Shown once; store it now") });

export const createApiKeyRequestSchema = z.object({ name: z.string().trim().min(1).max(100) });

export const createTenantResponseSchema = z.object({ tenant: tenantSchema, secret_key: createdApiKeySchema });

export const signingKeySchema = z.object({
  kid: z.string(),
  alg: z.enum(["RS256", "ES256", "EdDSA"]),
  status: z.enum(["active", "retired", "revoked"]),
  created_at: timestamp,
  retired_at: timestamp.nullable(),
  publish_until: timestamp.nullable(),
});

export const rotateSigningKeyRequestSchema = z
  .object({ alg: z.enum(["RS256", "ES256", "EdDSA"]).optional() })
  .strict();
