import type { CreateOAuthClientRequest, OAuthClientView, UpdateOAuthClientRequest } from "@plinto/contracts";
import { type ClientProfile, defaultAllowedScopes, type OAuthClient, resolveClientType } from "@plinto/core";

const iso = (ms: number): string => new Date(ms).toISOString();
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
const texts = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : []);

const DISPLAY_FIELDS = new Set(["client_uri", "logo_uri", "policy_uri", "tos_uri", "contacts"]);

/** Metadata other than the admin API's display fields (e.g. a dynamic client's application_type), kept across a PATCH. */
const otherMetadata = (metadata: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(metadata).filter(([key]) => !DISPLAY_FIELDS.has(key)));

/** Display metadata (RFC 7591 §2 names) from the admin API's fields; absent ones are not stored. */
function displayMetadata(fields: Pick<OAuthClientView, "client_uri" | "logo_uri" | "policy_uri" | "tos_uri" | "contacts">): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  for (const key of ["client_uri", "logo_uri", "policy_uri", "tos_uri"] as const) if (fields[key] !== null) metadata[key] = fields[key];
  if (fields.contacts.length > 0) metadata.contacts = fields.contacts;
  return metadata;
}

/** Wire view of a client for the management API: never its secret, secret hash or registration token. */
export function oauthClientView(client: OAuthClient): OAuthClientView {
  const { metadata } = client;
  return {
    client_id: client.id,
    name: client.name,
    type: client.type,
    first_party: client.firstParty,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    grant_types: client.grantTypes,
    allowed_scopes: client.allowedScopes,
    allowed_resources: client.allowedResources,
    jwks: client.jwks,
    access_token_ttl_seconds: client.accessTokenTtlSeconds,
    refresh_token_ttl_seconds: client.refreshTokenTtlSeconds,
    client_uri: text(metadata.client_uri),
    logo_uri: text(metadata.logo_uri),
    policy_uri: text(metadata.policy_uri),
    tos_uri: text(metadata.tos_uri),
    contacts: texts(metadata.contacts),
    created_via: client.createdVia,
    created_at: iso(client.createdAt),
    updated_at: iso(client.updatedAt),
  };
}

/** A create request as client settings, defaults applied (contracts/oauth-clients.ts). */
export function profileFromCreateRequest(body: CreateOAuthClientRequest): ClientProfile {
  return {
    name: body.name,
    ...resolveClientType(body.type, body.token_endpoint_auth_method),
    firstParty: body.first_party,
    jwks: body.jwks,
    redirectUris: body.redirect_uris,
    postLogoutRedirectUris: body.post_logout_redirect_uris,
    grantTypes: body.grant_types,
    allowedScopes: body.allowed_scopes ?? defaultAllowedScopes(body.grant_types),
    allowedResources: body.allowed_resources,
    accessTokenTtlSeconds: body.access_token_ttl_seconds,
    refreshTokenTtlSeconds: body.refresh_token_ttl_seconds,
    metadata: displayMetadata(body),
  };
}

/**
 * A PATCH merged onto the client's current settings (validated whole by the
 * core). Changing `type` alone moves the method to its default for that type.
 */
export function profileFromPatch(client: OAuthClient, patch: UpdateOAuthClientRequest): ClientProfile {
  const current = oauthClientView(client);
  const merged = { ...current, ...patch };
  const methodGiven = patch.token_endpoint_auth_method !== undefined;
  const typeChanged = patch.type !== undefined && patch.type !== client.type;
  const method = methodGiven || !typeChanged ? merged.token_endpoint_auth_method : undefined;
  return {
    name: merged.name,
    ...resolveClientType(merged.type, method),
    firstParty: merged.first_party,
    jwks: merged.jwks,
    redirectUris: merged.redirect_uris,
    postLogoutRedirectUris: merged.post_logout_redirect_uris,
    grantTypes: merged.grant_types,
    allowedScopes: merged.allowed_scopes,
    allowedResources: merged.allowed_resources,
    accessTokenTtlSeconds: merged.access_token_ttl_seconds,
    refreshTokenTtlSeconds: merged.refresh_token_ttl_seconds,
    metadata: { ...otherMetadata(client.metadata), ...displayMetadata(merged) },
  };
}
