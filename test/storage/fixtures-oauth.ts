import type { LinkedIdentity, OAuthClient, OAuthConsent, OAuthGrant, UpstreamConnection } from "@plinto/core";
import { newId, NOW } from "./fixtures";

/** Rows of the OAuth provider and upstream sign-in tables (issue 7) for the storage contract. */
export const oauthClientRow = (tenantId: string, overrides: Partial<OAuthClient> = {}): OAuthClient => ({
  id: newId("cli"),
  tenantId,
  name: "Contract app",
  type: "confidential",
  firstParty: false,
  tokenEndpointAuthMethod: "client_secret_basic",
  secretHash: "c2VjcmV0LWRpZ2VzdA",
  jwks: null,
  redirectUris: ["https://app.example.com/callback", "https://app.example.com/cb?x=1"],
  postLogoutRedirectUris: ["https://app.example.com/"],
  grantTypes: ["authorization_code", "refresh_token"],
  allowedScopes: ["openid", "profile", "email", "offline_access", "read:docs"],
  allowedResources: ["https://api.example.com"],
  accessTokenTtlSeconds: null,
  refreshTokenTtlSeconds: 86_400,
  metadata: { client_uri: "https://app.example.com", contacts: ["ops@example.com"] },
  createdVia: "admin",
  registrationTokenHash: null,
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

export const oauthGrantRow = (client: OAuthClient, userId: string, overrides: Partial<OAuthGrant> = {}): OAuthGrant => ({
  sessionId: newId("ses"),
  tenantId: client.tenantId,
  userId,
  clientId: client.id,
  scope: "openid profile offline_access",
  resources: ["https://api.example.com"],
  authTime: NOW - 5_000,
  acr: null,
  loginSessionId: null,
  createdAt: NOW,
  ...overrides,
});

export const oauthConsentRow = (client: OAuthClient, userId: string, overrides: Partial<OAuthConsent> = {}): OAuthConsent => ({
  tenantId: client.tenantId,
  userId,
  clientId: client.id,
  scopes: ["openid", "profile"],
  createdAt: NOW,
  updatedAt: NOW,
  ...overrides,
});

export const connectionRow = (tenantId: string, overrides: Partial<UpstreamConnection> = {}): UpstreamConnection => {
  const id = newId("con");
  return {
    id,
    tenantId,
    slug: `google-${id.slice(-6)}`,
    kind: "google",
    displayName: "Google",
    enabled: true,
    clientId: "upstream-client.apps.example.com",
    clientSecretEncrypted: "sealed-upstream-secret",
    issuer: "https://accounts.example.com",
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    jwksUri: null,
    scopes: ["openid", "email", "profile"],
    options: { prompt: "select_account" },
    createdAt: NOW,
    updatedAt: NOW,
    ...overrides,
  };
};

export const linkedIdentityRow = (
  connection: UpstreamConnection,
  userId: string,
  overrides: Partial<LinkedIdentity> = {},
): LinkedIdentity => ({
  id: newId("lid"),
  tenantId: connection.tenantId,
  userId,
  connectionId: connection.id,
  subject: `sub-${newId("s")}`,
  email: "person@example.com",
  profile: { name: "Person" },
  createdAt: NOW,
  lastSignInAt: null,
  ...overrides,
});
