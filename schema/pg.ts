/**
 * Relational schema for PostgreSQL (through Hyperdrive). The same tables,
 * columns and indexes as schema/sqlite.ts — schema/parity.test.ts checks it —
 * so one set of row mappers serves both backends. Times are milliseconds since
 * the Unix epoch in `bigint` columns read as JS numbers (safe until year 287396);
 * JSON stays `text` so both backends store exactly the same strings.
 */
import { bigint, boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";

const ms = (name: string) => bigint(name, { mode: "number" });

export const tenants = pgTable(
  "tenants",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    settings: text("settings").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("tenants_slug_unique").on(t.slug)],
);

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    emailNormalized: text("email_normalized").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    passwordHash: text("password_hash"),
    name: text("name"),
    metadata: text("metadata").notNull().default("{}"),
    role: text("role", { enum: ["user", "admin"] }).notNull().default("user"),
    bannedAt: ms("banned_at"),
    banReason: text("ban_reason"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
    lastSignInAt: ms("last_sign_in_at"),
  },
  (t) => [
    uniqueIndex("users_tenant_email_unique").on(t.tenantId, t.emailNormalized),
    index("users_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

export const signingKeys = pgTable(
  "signing_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    alg: text("alg", { enum: ["RS256", "ES256", "EdDSA"] }).notNull(),
    status: text("status", { enum: ["active", "retired", "revoked"] }).notNull(),
    publicJwk: text("public_jwk").notNull(),
    privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
    createdAt: ms("created_at").notNull(),
    retiredAt: ms("retired_at"),
    publishUntil: ms("publish_until"),
  },
  (t) => [index("signing_keys_tenant_idx").on(t.tenantId, t.status)],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    secretHash: text("secret_hash").notNull(),
    createdAt: ms("created_at").notNull(),
    lastUsedAt: ms("last_used_at"),
    revokedAt: ms("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_secret_hash_unique").on(t.secretHash), index("api_keys_tenant_idx").on(t.tenantId)],
);

export const auditEvents = pgTable(
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
    data: text("data").notNull().default("{}"),
    /** Position in the tenant's hash chain, 1, 2, 3, ... (docs/audit.md); NULL until the sealer links the row, and for rows written before the chain existed. */
    seq: ms("seq"),
    /** `hash` of the row at seq - 1 (64 zeros for seq 1). */
    prevHash: text("prev_hash"),
    /** SHA-256 (hex) of the row's canonical public content (RFC 8785), which includes `personal_digest`. */
    hash: text("hash"),
    /** SHA-256 (hex) of the salted canonical personal content: actor_id, subject_id, ip, user_agent, data. */
    personalDigest: text("personal_digest"),
    /** Random salt of `personal_digest`; NULL once the row is pseudonymised (erasure), which cuts the digest's link to the person. */
    personalSalt: text("personal_salt"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    index("audit_events_tenant_id_idx").on(t.tenantId, t.id),
    index("audit_events_tenant_type_idx").on(t.tenantId, t.type, t.id),
    uniqueIndex("audit_events_tenant_seq_unique").on(t.tenantId, t.seq),
    index("audit_events_tenant_actor_idx").on(t.tenantId, t.actorId),
    index("audit_events_tenant_subject_idx").on(t.tenantId, t.subjectId),
  ],
);

export const oneTimeTokens = pgTable(
  "one_time_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    subject: text("subject"),
    codeHash: text("code_hash"),
    attempts: integer("attempts").notNull().default(0),
    data: text("data").notNull().default("{}"),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
  },
  (t) => [
    index("one_time_tokens_subject_idx").on(t.tenantId, t.purpose, t.subject),
    index("one_time_tokens_expiry_idx").on(t.expiresAt),
  ],
);

export const totpFactors = pgTable(
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
    secretEncrypted: text("secret_encrypted").notNull(),
    lastUsedStep: ms("last_used_step"),
    createdAt: ms("created_at").notNull(),
    activatedAt: ms("activated_at"),
  },
  (t) => [uniqueIndex("totp_factors_user_unique").on(t.tenantId, t.userId)],
);

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("recovery_codes_user_idx").on(t.tenantId, t.userId)],
);

export const passkeys = pgTable(
  "passkeys",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    credentialId: text("credential_id").notNull(),
    publicKey: text("public_key").notNull(),
    counter: ms("counter").notNull(),
    transports: text("transports").notNull().default("[]"),
    deviceType: text("device_type", { enum: ["singleDevice", "multiDevice"] }).notNull(),
    backedUp: boolean("backed_up").notNull(),
    aaguid: text("aaguid"),
    name: text("name").notNull(),
    createdAt: ms("created_at").notNull(),
    lastUsedAt: ms("last_used_at"),
  },
  (t) => [
    uniqueIndex("passkeys_credential_unique").on(t.tenantId, t.credentialId),
    index("passkeys_user_idx").on(t.tenantId, t.userId),
  ],
);

export const emailTemplates = pgTable(
  "email_templates",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

export const devMailbox = pgTable(
  "dev_mailbox",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id"),
    to: text("to_address").notNull(),
    from: text("from_address").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html").notNull(),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [index("dev_mailbox_to_idx").on(t.to, t.id)],
);

export const organizations = pgTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    metadata: text("metadata").notNull().default("{}"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("organizations_tenant_slug_unique").on(t.tenantId, t.slug),
    index("organizations_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

export const organizationMembers = pgTable(
  "organization_members",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role").notNull(),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    index("organization_members_user_idx").on(t.tenantId, t.userId),
    index("organization_members_role_idx").on(t.tenantId, t.role),
  ],
);

export const organizationInvitations = pgTable(
  "organization_invitations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    organizationId: text("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    emailNormalized: text("email_normalized").notNull(),
    role: text("role").notNull(),
    invitedBy: text("invited_by"),
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: ["pending", "accepted", "revoked"] }).notNull(),
    createdAt: ms("created_at").notNull(),
    expiresAt: ms("expires_at").notNull(),
    respondedAt: ms("responded_at"),
  },
  (t) => [
    uniqueIndex("organization_invitations_token_unique").on(t.tokenHash),
    index("organization_invitations_org_idx").on(t.tenantId, t.organizationId, t.status),
  ],
);

export const organizationRoles = pgTable(
  "organization_roles",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    permissions: text("permissions").notNull().default("[]"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

export const policySets = pgTable("policy_sets", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  rules: text("rules").notNull().default("[]"),
  updatedAt: ms("updated_at").notNull(),
});

export const webhookEndpoints = pgTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    eventTypes: text("event_types").notNull().default("[]"),
    enabled: boolean("enabled").notNull().default(true),
    disabledReason: text("disabled_reason"),
    secretEncrypted: text("secret_encrypted").notNull(),
    previousSecretEncrypted: text("previous_secret_encrypted"),
    previousSecretExpiresAt: ms("previous_secret_expires_at"),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: ms("failing_since"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.id)],
);

export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    lastAttemptAt: ms("last_attempt_at"),
    nextAttemptAt: ms("next_attempt_at"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_unique").on(t.endpointId, t.eventId),
    index("webhook_deliveries_endpoint_idx").on(t.tenantId, t.endpointId, t.id),
    index("webhook_deliveries_status_idx").on(t.tenantId, t.status, t.createdAt),
  ],
);

export const oauthClients = pgTable(
  "oauth_clients",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type", { enum: ["confidential", "public"] }).notNull(),
    firstParty: boolean("first_party").notNull().default(false),
    tokenEndpointAuthMethod: text("token_endpoint_auth_method").notNull(),
    secretHash: text("secret_hash"),
    jwks: text("jwks"),
    redirectUris: text("redirect_uris").notNull().default("[]"),
    postLogoutRedirectUris: text("post_logout_redirect_uris").notNull().default("[]"),
    grantTypes: text("grant_types").notNull().default("[]"),
    allowedScopes: text("allowed_scopes").notNull().default("[]"),
    allowedResources: text("allowed_resources").notNull().default("[]"),
    accessTokenTtlSeconds: integer("access_token_ttl_seconds"),
    refreshTokenTtlSeconds: integer("refresh_token_ttl_seconds"),
    metadata: text("metadata").notNull().default("{}"),
    createdVia: text("created_via", { enum: ["admin", "dynamic"] }).notNull(),
    registrationTokenHash: text("registration_token_hash"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [index("oauth_clients_tenant_idx").on(t.tenantId, t.id)],
);

export const oauthGrants = pgTable(
  "oauth_grants",
  {
    sessionId: text("session_id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    scope: text("scope").notNull(),
    resources: text("resources").notNull().default("[]"),
    authTime: ms("auth_time").notNull(),
    acr: text("acr"),
    loginSessionId: text("login_session_id"),
    createdAt: ms("created_at").notNull(),
  },
  (t) => [
    index("oauth_grants_login_session_idx").on(t.tenantId, t.loginSessionId),
    index("oauth_grants_user_idx").on(t.tenantId, t.userId),
    index("oauth_grants_client_idx").on(t.tenantId, t.clientId),
  ],
);

export const oauthConsents = pgTable(
  "oauth_consents",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    scopes: text("scopes").notNull().default("[]"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.clientId] }),
    index("oauth_consents_client_idx").on(t.tenantId, t.clientId),
  ],
);

export const upstreamConnections = pgTable(
  "upstream_connections",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    kind: text("kind", { enum: ["oidc", "oauth2", "google", "microsoft", "github", "apple"] }).notNull(),
    displayName: text("display_name").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    clientId: text("client_id").notNull(),
    clientSecretEncrypted: text("client_secret_encrypted"),
    issuer: text("issuer"),
    authorizationEndpoint: text("authorization_endpoint"),
    tokenEndpoint: text("token_endpoint"),
    userinfoEndpoint: text("userinfo_endpoint"),
    jwksUri: text("jwks_uri"),
    scopes: text("scopes").notNull().default("[]"),
    options: text("options").notNull().default("{}"),
    createdAt: ms("created_at").notNull(),
    updatedAt: ms("updated_at").notNull(),
  },
  (t) => [uniqueIndex("upstream_connections_tenant_slug_unique").on(t.tenantId, t.slug)],
);

export const linkedIdentities = pgTable(
  "linked_identities",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    connectionId: text("connection_id")
      .notNull()
      .references(() => upstreamConnections.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    email: text("email"),
    profile: text("profile").notNull().default("{}"),
    createdAt: ms("created_at").notNull(),
    lastSignInAt: ms("last_sign_in_at"),
  },
  (t) => [
    uniqueIndex("linked_identities_subject_unique").on(t.tenantId, t.connectionId, t.subject),
    index("linked_identities_user_idx").on(t.tenantId, t.userId),
  ],
);
