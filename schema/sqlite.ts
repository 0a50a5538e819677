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
    /** Position in the tenant's hash chain, 1, 2, 3, ... (docs/audit.md); NULL until the sealer links the row, and for rows written before the chain existed. */
    seq: integer("seq"),
    /** `hash` of the row at seq - 1 (64 zeros for seq 1). */
    prevHash: text("prev_hash"),
    /** SHA-256 (hex) of the row's canonical public content (RFC 8785), which includes `personal_digest`. */
    hash: text("hash"),
    /** SHA-256 (hex) of the salted canonical personal content: actor_id, subject_id, ip, user_agent, data. */
    personalDigest: text("personal_digest"),
    /** Random salt of `personal_digest`; NULL once the row is pseudonymised (erasure), which cuts the digest's link to the person. */
    personalSalt: text("personal_salt"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("audit_events_tenant_id_idx").on(t.tenantId, t.id),
    index("audit_events_tenant_type_idx").on(t.tenantId, t.type, t.id),
    uniqueIndex("audit_events_tenant_seq_unique").on(t.tenantId, t.seq),
    index("audit_events_tenant_actor_idx").on(t.tenantId, t.actorId),
    index("audit_events_tenant_subject_idx").on(t.tenantId, t.subjectId),
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

/** Organizations of a tenant (issue 6); members, invitations and custom roles hang off them. */
export const organizations = sqliteTable(
  "organizations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** JSON object set by the organization's admins or the tenant. */
    metadata: text("metadata").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("organizations_tenant_slug_unique").on(t.tenantId, t.slug),
    index("organizations_tenant_id_idx").on(t.tenantId, t.id),
  ],
);

/** One row per (organization, user): the member's role, built-in (`owner`, `admin`, `member`, `viewer`) or a custom role key. */
export const organizationMembers = sqliteTable(
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
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    index("organization_members_user_idx").on(t.tenantId, t.userId),
    index("organization_members_role_idx").on(t.tenantId, t.role),
  ],
);

/** Invitations by email; the link's secret is a one-time token (purpose `organization_invitation`) whose digest is `token_hash`. */
export const organizationInvitations = sqliteTable(
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
    /** User id of the inviter; null when a secret key invited. */
    invitedBy: text("invited_by"),
    /** SHA-256 (base64url) of the link token = the id of its one_time_tokens row. */
    tokenHash: text("token_hash").notNull(),
    status: text("status", { enum: ["pending", "accepted", "revoked"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    respondedAt: integer("responded_at"),
  },
  (t) => [
    uniqueIndex("organization_invitations_token_unique").on(t.tokenHash),
    index("organization_invitations_org_idx").on(t.tenantId, t.organizationId, t.status),
  ],
);

/** Custom roles of a tenant: a key, a display name and `resource:action` permission strings (JSON array). */
export const organizationRoles = sqliteTable(
  "organization_roles",
  {
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    permissions: text("permissions").notNull().default("[]"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.key] })],
);

/** A tenant's policy rules (JSON, validated on save), evaluated by POST /policies/evaluate. */
export const policySets = sqliteTable("policy_sets", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  rules: text("rules").notNull().default("[]"),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Webhook endpoints of a tenant (issue 6). Secrets must be usable for HMAC, so
 * they are AES-256-GCM ciphertexts from the key vault (context
 * `webhook_endpoint:{tenant}:{id}`), never digests; the previous secret stays
 * until `previous_secret_expires_at` while a rotation overlaps.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    description: text("description"),
    /** JSON array of subscribed webhook event types. */
    eventTypes: text("event_types").notNull().default("[]"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Why a disabled endpoint is off: `manual` or `failing` (automatic disable). */
    disabledReason: text("disabled_reason"),
    secretEncrypted: text("secret_encrypted").notNull(),
    previousSecretEncrypted: text("previous_secret_encrypted"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    /** Failed attempts since the last success, and when that run of failures began. */
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    failingSince: integer("failing_since"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("webhook_endpoints_tenant_idx").on(t.tenantId, t.id)],
);

/** One event for one endpoint: the exact body sent, and the delivery log (status, attempts, last answer). */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    endpointId: text("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    /** The `webhook-id` header: the event id, the same on every attempt and replay. */
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The JSON body, signed and sent byte for byte on every attempt. */
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "succeeded", "failed"] }).notNull(),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    /** Short machine-readable reason of the last failure (`timeout`, `network_error`, `http_503`, ...). */
    lastError: text("last_error"),
    lastAttemptAt: integer("last_attempt_at"),
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_endpoint_event_unique").on(t.endpointId, t.eventId),
    index("webhook_deliveries_endpoint_idx").on(t.tenantId, t.endpointId, t.id),
    index("webhook_deliveries_status_idx").on(t.tenantId, t.status, t.createdAt),
  ],
);

/**
 * OAuth 2.1 / OpenID Connect clients of the tenant's provider (issue 7).
 * Secrets are SHA-256 digests (base64url), never the secret itself; JSON
 * columns hold arrays of strings unless noted.
 */
export const oauthClients = sqliteTable(
  "oauth_clients",
  {
    /** The public `client_id` (`cli_` + ULID). */
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    type: text("type", { enum: ["confidential", "public"] }).notNull(),
    /** First-party clients skip the consent screen. */
    firstParty: integer("first_party", { mode: "boolean" }).notNull().default(false),
    /** RFC 7591 §2 `token_endpoint_auth_method`. */
    tokenEndpointAuthMethod: text("token_endpoint_auth_method").notNull(),
    /** SHA-256 (base64url) of the client secret; null for public and private_key_jwt clients. */
    secretHash: text("secret_hash"),
    /** JWKS document (JSON) for private_key_jwt (RFC 7523 §2.2). */
    jwks: text("jwks"),
    redirectUris: text("redirect_uris").notNull().default("[]"),
    postLogoutRedirectUris: text("post_logout_redirect_uris").notNull().default("[]"),
    grantTypes: text("grant_types").notNull().default("[]"),
    allowedScopes: text("allowed_scopes").notNull().default("[]"),
    /** RFC 8707 resource indicators the client may ask for. */
    allowedResources: text("allowed_resources").notNull().default("[]"),
    accessTokenTtlSeconds: integer("access_token_ttl_seconds"),
    refreshTokenTtlSeconds: integer("refresh_token_ttl_seconds"),
    /** JSON object: client_uri, logo_uri, policy_uri, tos_uri, contacts. */
    metadata: text("metadata").notNull().default("{}"),
    createdVia: text("created_via", { enum: ["admin", "dynamic"] }).notNull(),
    /** SHA-256 of the RFC 7592 registration access token; null for admin-created clients. */
    registrationTokenHash: text("registration_token_hash"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("oauth_clients_tenant_idx").on(t.tenantId, t.id)],
);

/**
 * What the tokens of one provider session were granted: one row per
 * session-store session (`session_id` = the `sid` of its access tokens).
 */
export const oauthGrants = sqliteTable(
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
    /** Space-separated granted scopes (RFC 6749 §3.3). */
    scope: text("scope").notNull(),
    /** JSON array of granted RFC 8707 resource indicators. */
    resources: text("resources").notNull().default("[]"),
    /** OIDC Core §2 auth_time, ms. */
    authTime: integer("auth_time").notNull(),
    acr: text("acr"),
    /** The hosted-login browser session the grant came from (end_session revokes its grants). */
    loginSessionId: text("login_session_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("oauth_grants_login_session_idx").on(t.tenantId, t.loginSessionId),
    index("oauth_grants_user_idx").on(t.tenantId, t.userId),
    index("oauth_grants_client_idx").on(t.tenantId, t.clientId),
  ],
);

/** Scopes a user allowed a third-party client (JSON array), so consent is asked once. */
export const oauthConsents = sqliteTable(
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
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.userId, t.clientId] }),
    index("oauth_consents_client_idx").on(t.tenantId, t.clientId),
  ],
);

/** Upstream identity providers users of the tenant can sign in with (social and enterprise OIDC/OAuth2). */
export const upstreamConnections = sqliteTable(
  "upstream_connections",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id")
      .notNull()
      .references(() => tenants.id, { onDelete: "cascade" }),
    /** URL-safe name in hosted-login paths, unique in the tenant. */
    slug: text("slug").notNull(),
    kind: text("kind", { enum: ["oidc", "oauth2", "google", "microsoft", "github", "apple"] }).notNull(),
    displayName: text("display_name").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    /** Plinto's client id at the upstream provider. */
    clientId: text("client_id").notNull(),
    /** AES-256-GCM ciphertext of the upstream client secret (the key vault); never returned by the API. */
    clientSecretEncrypted: text("client_secret_encrypted"),
    issuer: text("issuer"),
    authorizationEndpoint: text("authorization_endpoint"),
    tokenEndpoint: text("token_endpoint"),
    userinfoEndpoint: text("userinfo_endpoint"),
    jwksUri: text("jwks_uri"),
    /** JSON array of scopes requested upstream. */
    scopes: text("scopes").notNull().default("[]"),
    /** JSON object of provider-specific settings (Apple team/key id, Microsoft tenant, claim names). */
    options: text("options").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("upstream_connections_tenant_slug_unique").on(t.tenantId, t.slug)],
);

/** A user's account at an upstream provider, linked to their user; unique per (connection, subject). */
export const linkedIdentities = sqliteTable(
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
    /** The upstream's stable subject (`sub`, or GitHub's numeric id). */
    subject: text("subject").notNull(),
    email: text("email"),
    /** JSON object of the last profile claims seen (name, picture); never tokens. */
    profile: text("profile").notNull().default("{}"),
    createdAt: integer("created_at").notNull(),
    lastSignInAt: integer("last_sign_in_at"),
  },
  (t) => [
    uniqueIndex("linked_identities_subject_unique").on(t.tenantId, t.connectionId, t.subject),
    index("linked_identities_user_idx").on(t.tenantId, t.userId),
  ],
);
