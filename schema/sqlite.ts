/**
 * Relational schema for D1 (SQLite). Every table is documented in schema/README.md.
 * Times are integer milliseconds since the Unix epoch; ids are prefixed ULIDs, so
 * ordering by id is ordering by creation time (used by cursor pagination).
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

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

/**
 * Everything that must be used exactly once and soon: email links, email and
 * MFA codes, MFA challenges, WebAuthn challenges. Consumed with a conditional
 * `DELETE ... RETURNING` (never KV). `id` is the SHA-256 of the secret the
 * client holds (link token, challenge token, WebAuthn challenge), or for codes
 * sent to an address the SHA-256 of `purpose:subject`, so a new code replaces
 * the old one.
 */
export const oneTimeTokens = sqliteTable(
  "one_time_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    /** The user id, or the normalised email for flows that start before sign-in. */
    subject: text("subject"),
    /** SHA-256 (base64url) of the 6-digit code, for code flows; null for link tokens. */
    codeHash: text("code_hash"),
    /** Wrong codes tried so far; the row is refused once this reaches the flow's limit. */
    attempts: integer("attempts").notNull().default(0),
    /** JSON object with the flow's state (never a secret in the clear). */
    data: text("data").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [
    index("one_time_tokens_subject_idx").on(t.tenantId, t.purpose, t.subject),
    index("one_time_tokens_expiry_idx").on(t.expiresAt),
  ],
);

/** One TOTP authenticator per user (RFC 6238); `pending` until a first valid code activates it. */
export const totpFactors = sqliteTable(
  "totp_factors",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    status: text("status", { enum: ["pending", "active"] }).notNull(),
    /** AES-256-GCM ciphertext of the base32 secret (the key vault, context `totp:{tenantId}:{id}`). */
    secretEncrypted: text("secret_encrypted").notNull(),
    /** Highest accepted time step; a code at or below it is a replay (RFC 6238 §5.2). */
    lastUsedStep: integer("last_used_step"),
    createdAt: integer("created_at").notNull(),
    activatedAt: integer("activated_at"),
  },
  (t) => [uniqueIndex("totp_factors_user_unique").on(t.tenantId, t.userId)],
);

/** Single-use recovery codes; only their SHA-256 digests are stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.tenantId, t.userId)],
);

/** WebAuthn credentials (passkeys and security keys). */
export const passkeys = sqliteTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Credential ID, base64url (WebAuthn §6.1 credentialId). */
    credentialId: text("credential_id").notNull(),
    /** COSE public key, base64url. */
    publicKey: text("public_key").notNull(),
    /** Signature counter (WebAuthn §6.1.1); 0 when the authenticator does not count. */
    counter: integer("counter").notNull(),
    /** JSON array of AuthenticatorTransport strings. */
    transports: text("transports").notNull().default("[]"),
    deviceType: text("device_type", { enum: ["singleDevice", "multiDevice"] }).notNull(),
    backedUp: integer("backed_up", { mode: "boolean" }).notNull(),
    aaguid: text("aaguid"),
    name: text("name").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [
    uniqueIndex("passkeys_credential_unique").on(t.tenantId, t.credentialId),
    index("passkeys_user_idx").on(t.tenantId, t.userId),
  ],
);

/** Tenant overrides of the built-in email templates (packages/core/src/email/templates.ts). */
export const emailTemplates = sqliteTable(
  "email_templates",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/** Local development only: mail the dev mailer adapter "sent", readable at /dev/mailbox and by tests. */
export const devMailbox = sqliteTable(
  "dev_mailbox",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id"),
    to: text("to_address").notNull(),
    from: text("from_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("dev_mailbox_to_idx").on(t.to, t.id)],
);
