/**
 * Relational schema for D1 (SQLite). Every table is documented in schema/README.md.
 * Times are integer milliseconds since the Unix epoch; ids are prefixed ULIDs, so
 * ordering by id is ordering by creation time (used by cursor pagination).
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const tenants = sqliteTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** JSON of TenantSettings (packages/contracts/src/settings.ts). */
    settings: text("settings").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenants_slug_unique").on(t.slug)],
);

export const users = sqliteTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    emailNormalized: text("email_normalized").notNull(),
    emailVerified: integer("email_verified", { mode: "boolean" }).notNull().default(false),
    /** PHC string (argon2id, or an imported bcrypt/scrypt/PBKDF2 hash until the next sign-in). */
    passwordHash: text("password_hash"),
    name: text("name"),
    /** JSON object set by the tenant (public metadata). */
    metadata: text("metadata").notNull().default("{}"),
    role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
    bannedAt: integer("banned_at"),
    banReason: text("ban_reason"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    lastSignInAt: integer("last_sign_in_at"),
  },
  (t) => [
    uniqueIndex("users_tenant_email_unique").on(t.tenantId, t.emailNormalized),
    index("users_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

export const signingKeys = sqliteTable(
  "signing_keys",
  {
    /** The JWK `kid`. */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    alg: text("alg", { enum: ["RS256", "ES256", "EdDSA"] }).notNull(),
    status: text("status", { enum: ["active", "retired", "revoked"] }).notNull(),
    /** Public JWK as JSON. */
    publicJwk: text("public_jwk").notNull(),
    /** AES-256-GCM ciphertext of the private JWK (base64url iv.ciphertext), key from KEY_ENCRYPTION_SECRET. */
    privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
    createdAt: integer("created_at").notNull(),
    retiredAt: integer("retired_at"),
    /** Retired keys stay in the JWKS until this time (their last token's expiry plus leeway). */
    publishUntil: integer("publish_until"),
  },
  (t) => [index("signing_keys_tenant_idx").on(t.tenantId, t.status)],
);

export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** First characters of the key, shown in listings so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    /** SHA-256 (base64url) of the whole secret key; the key itself is shown once and never stored. */
    secretHash: text("secret_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_unique").on(t.secretHash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    type: text("type").notNull(),
    actorType: text("actor_type", { enum: ["user", "api_key", "operator", "system", "anonymous"] }).notNull(),
    actorId: text("actor_id"),
    subjectId: text("subject_id"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    /** JSON object with event details; never secrets. */
    data: text("data").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("audit_events_tenant_id_idx").on(t.tenantId, t.id),
    index("audit_events_tenant_type_idx").on(t.tenantId, t.type, t.id),
  ],
);
