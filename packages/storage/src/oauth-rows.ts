import {
  type ClientAuthMethod,
  type LinkedIdentity,
  type OAuthClient,
  type OAuthConsent,
  type OAuthGrant,
  type OAuthGrantType,
  PlintoError,
  type UpstreamConnection,
} from "@plinto/core";
import type { linkedIdentities, oauthClients, oauthConsents, oauthGrants, upstreamConnections } from "@plinto/schema/sqlite";

/** Row <-> domain mapping of the OAuth provider and upstream sign-in tables, for both backends (see rows.ts). */
const strings = (json: string): string[] => JSON.parse(json) as string[];
const object = (json: string): Record<string, unknown> => JSON.parse(json) as Record<string, unknown>;

export const oauthClientFromRow = (row: typeof oauthClients.$inferSelect): OAuthClient => ({
  ...row,
  tokenEndpointAuthMethod: row.tokenEndpointAuthMethod as ClientAuthMethod,
  jwks: row.jwks === null ? null : (JSON.parse(row.jwks) as OAuthClient["jwks"]),
  redirectUris: strings(row.redirectUris),
  postLogoutRedirectUris: strings(row.postLogoutRedirectUris),
  grantTypes: strings(row.grantTypes) as OAuthGrantType[],
  allowedScopes: strings(row.allowedScopes),
  allowedResources: strings(row.allowedResources),
  metadata: object(row.metadata),
});
export const oauthClientToRow = (client: OAuthClient): typeof oauthClients.$inferInsert => ({
  ...client,
  jwks: client.jwks === null ? null : JSON.stringify(client.jwks),
  redirectUris: JSON.stringify(client.redirectUris),
  postLogoutRedirectUris: JSON.stringify(client.postLogoutRedirectUris),
  grantTypes: JSON.stringify(client.grantTypes),
  allowedScopes: JSON.stringify(client.allowedScopes),
  allowedResources: JSON.stringify(client.allowedResources),
  metadata: JSON.stringify(client.metadata),
});
/** Every column an update replaces (all but id, tenant and creation time). */
export const oauthClientUpdateSet = (client: OAuthClient) => {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...set } = oauthClientToRow(client);
  return set;
};

export const oauthGrantFromRow = (row: typeof oauthGrants.$inferSelect): OAuthGrant => ({
  ...row,
  resources: strings(row.resources),
});
export const oauthGrantToRow = (grant: OAuthGrant): typeof oauthGrants.$inferInsert => ({
  ...grant,
  resources: JSON.stringify(grant.resources),
});

export const oauthConsentFromRow = (row: typeof oauthConsents.$inferSelect): OAuthConsent => ({
  ...row,
  scopes: strings(row.scopes),
});
export const oauthConsentToRow = (consent: OAuthConsent): typeof oauthConsents.$inferInsert => ({
  ...consent,
  scopes: JSON.stringify(consent.scopes),
});

export const upstreamConnectionFromRow = (row: typeof upstreamConnections.$inferSelect): UpstreamConnection => ({
  ...row,
  scopes: strings(row.scopes),
  options: object(row.options),
});
export const upstreamConnectionToRow = (connection: UpstreamConnection): typeof upstreamConnections.$inferInsert => ({
  ...connection,
  scopes: JSON.stringify(connection.scopes),
  options: JSON.stringify(connection.options),
});
/** Every column an update replaces (all but id, tenant and creation time). */
export const upstreamConnectionUpdateSet = (connection: UpstreamConnection) => {
  const { id: _id, tenantId: _tenantId, createdAt: _createdAt, ...set } = upstreamConnectionToRow(connection);
  return set;
};

export const linkedIdentityFromRow = (row: typeof linkedIdentities.$inferSelect): LinkedIdentity => ({
  ...row,
  profile: object(row.profile),
});
export const linkedIdentityToRow = (identity: LinkedIdentity): typeof linkedIdentities.$inferInsert => ({
  ...identity,
  profile: JSON.stringify(identity.profile),
});

/** The `conflict` refusals of the unique keys (a second row with the same id, slug or upstream subject). */
export const clientExists = () => new PlintoError("conflict", { detail: "an OAuth client with this id exists" });
export const grantExists = () => new PlintoError("conflict", { detail: "a grant for this session exists" });
export const connectionSlugTaken = () => new PlintoError("conflict", { detail: "a connection with this slug exists" });
export const identityAlreadyLinked = () =>
  new PlintoError("conflict", { detail: "this upstream account is already linked to a user" });
