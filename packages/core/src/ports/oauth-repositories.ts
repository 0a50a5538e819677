/**
 * Storage of the tenant's OAuth 2.1 / OpenID Connect provider (docs/oauth.md):
 * registered clients, the grants that back issued tokens, remembered consent,
 * and the upstream identity providers users can sign in with.
 * Single-use state (authorization codes, device codes, login transactions)
 * lives in the one-time token store, never here.
 */

/** RFC 7591 §2 `token_endpoint_auth_method` values Plinto accepts. */
export type ClientAuthMethod = "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";

/** RFC 7591 §2 `grant_types` values Plinto supports. */
export type OAuthGrantType =
  | "authorization_code"
  | "refresh_token"
  | "client_credentials"
  | "urn:ietf:params:oauth:grant-type:device_code";

export interface OAuthClient {
  /** The public `client_id` (`cli_` + ULID). */
  id: string;
  tenantId: string;
  name: string;
  /** `confidential` clients authenticate at the token endpoint; `public` ones use PKCE only (RFC 6749 §2.1). */
  type: "confidential" | "public";
  /** First-party clients skip the consent screen. */
  firstParty: boolean;
  tokenEndpointAuthMethod: ClientAuthMethod;
  /** SHA-256 (base64url) of the client secret; null for public and private_key_jwt clients. */
  secretHash: string | null;
  /** Public keys for private_key_jwt (RFC 7523 §2.2), a JWKS document. */
  jwks: { keys: Record<string, unknown>[] } | null;
  /** Matched exactly, character for character (RFC 9700 §4.1.3). */
  redirectUris: string[];
  /** Where end_session may send the browser back to (OIDC RP-Initiated Logout §3). */
  postLogoutRedirectUris: string[];
  grantTypes: OAuthGrantType[];
  /** Scopes the client may ask for; a request beyond them fails with invalid_scope. */
  allowedScopes: string[];
  /** Resource indicators (RFC 8707) the client may ask tokens for; empty means only the issuer itself. */
  allowedResources: string[];
  /** Per-client overrides of the tenant's token lifetimes; null means the tenant's setting. */
  accessTokenTtlSeconds: number | null;
  refreshTokenTtlSeconds: number | null;
  /** Registration metadata shown on consent: client_uri, logo_uri, policy_uri, tos_uri, contacts. */
  metadata: Record<string, unknown>;
  /** `admin` (management API) or `dynamic` (RFC 7591). */
  createdVia: "admin" | "dynamic";
  /** SHA-256 of the RFC 7592 registration access token; null for admin-created clients. */
  registrationTokenHash: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface OAuthClientRepository {
  insert(client: OAuthClient): Promise<void>;
  get(tenantId: string, clientId: string): Promise<OAuthClient | null>;
  list(tenantId: string): Promise<OAuthClient[]>;
  /** Replaces every column but id, tenantId and createdAt; false when the client does not exist. */
  update(client: OAuthClient): Promise<boolean>;
  delete(tenantId: string, clientId: string): Promise<boolean>;
}

/**
 * What a token issued to a client was granted: one row per provider session
 * (the session-store family whose refresh tokens the client rotates, and
 * whose `sid` its access tokens carry). Client-credentials tokens have none.
 */
export interface OAuthGrant {
  /** The session-store session id (`ses_...`) the grant's tokens belong to. */
  sessionId: string;
  tenantId: string;
  userId: string;
  clientId: string;
  /** Space-separated granted scopes (RFC 6749 §3.3). */
  scope: string;
  /** Resource indicators (RFC 8707) granted; tokens name one of them, or the issuer, as audience. */
  resources: string[];
  /** When the user authenticated (OIDC Core §2 auth_time), ms. */
  authTime: number;
  acr: string | null;
  /** The hosted-login browser session the grant came from; end_session revokes the grants of that session. */
  loginSessionId: string | null;
  createdAt: number;
}

export interface OAuthGrantRepository {
  insert(grant: OAuthGrant): Promise<void>;
  get(tenantId: string, sessionId: string): Promise<OAuthGrant | null>;
  listForLoginSession(tenantId: string, loginSessionId: string): Promise<OAuthGrant[]>;
  listForUser(tenantId: string, userId: string): Promise<OAuthGrant[]>;
  listForClient(tenantId: string, clientId: string): Promise<OAuthGrant[]>;
  delete(tenantId: string, sessionId: string): Promise<void>;
  deleteForUser(tenantId: string, userId: string): Promise<void>;
}

/** Scopes a user allowed a third-party client, remembered so the consent screen is shown once. */
export interface OAuthConsent {
  tenantId: string;
  userId: string;
  clientId: string;
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

export interface OAuthConsentRepository {
  get(tenantId: string, userId: string, clientId: string): Promise<OAuthConsent | null>;
  /** Inserts or replaces the user's consent for the client. */
  put(consent: OAuthConsent): Promise<void>;
  listForUser(tenantId: string, userId: string): Promise<OAuthConsent[]>;
  delete(tenantId: string, userId: string, clientId: string): Promise<boolean>;
  deleteForUser(tenantId: string, userId: string): Promise<void>;
  deleteForClient(tenantId: string, clientId: string): Promise<void>;
}

/** Presets fill endpoints and claim mapping; `oidc` is discovery-driven, `oauth2` is configured by hand. */
export type UpstreamProviderKind = "oidc" | "oauth2" | "google" | "microsoft" | "github" | "apple";

/** An upstream identity provider users of the tenant can sign in with ("Sign in with Google"). */
export interface UpstreamConnection {
  id: string;
  tenantId: string;
  /** URL-safe name used in hosted-login paths, unique in the tenant. */
  slug: string;
  kind: UpstreamProviderKind;
  displayName: string;
  enabled: boolean;
  clientId: string;
  /** Encrypted with the key vault; never returned by the API. */
  clientSecretEncrypted: string | null;
  /** OIDC issuer (discovery base); null for plain OAuth2. */
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  scopes: string[];
  /** Provider-specific settings (Apple team/key id, Microsoft tenant, claim names). */
  options: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface UpstreamConnectionRepository {
  /** Fails with `conflict` when the slug exists in the tenant. */
  insert(connection: UpstreamConnection): Promise<void>;
  get(tenantId: string, id: string): Promise<UpstreamConnection | null>;
  getBySlug(tenantId: string, slug: string): Promise<UpstreamConnection | null>;
  list(tenantId: string): Promise<UpstreamConnection[]>;
  update(connection: UpstreamConnection): Promise<boolean>;
  delete(tenantId: string, id: string): Promise<boolean>;
}

/** A user's account at an upstream provider, linked to their Plinto user. */
export interface LinkedIdentity {
  id: string;
  tenantId: string;
  userId: string;
  connectionId: string;
  /** The upstream's stable subject (`sub`, or GitHub's numeric id). Unique per connection. */
  subject: string;
  email: string | null;
  /** Last profile claims seen (name, picture); no tokens. */
  profile: Record<string, unknown>;
  createdAt: number;
  lastSignInAt: number | null;
}

export interface LinkedIdentityRepository {
  /** Fails with `conflict` when (connection, subject) is already linked. */
  insert(identity: LinkedIdentity): Promise<void>;
  getBySubject(tenantId: string, connectionId: string, subject: string): Promise<LinkedIdentity | null>;
  listForUser(tenantId: string, userId: string): Promise<LinkedIdentity[]>;
  touch(tenantId: string, id: string, at: number, profile: Record<string, unknown>): Promise<void>;
  delete(tenantId: string, id: string): Promise<boolean>;
  deleteForUser(tenantId: string, userId: string): Promise<void>;
  deleteForConnection(tenantId: string, connectionId: string): Promise<void>;
}
