import { APPLE_PRIVATE_KEY_OPTION, type TenantScope, type UpstreamConnection, upstreamCallbackUrl } from "@plinto/core";

const iso = (ms: number): string => new Date(ms).toISOString();

/** Wire view of a connection: never its client secret, the Apple key or their ciphertexts. */
export function upstreamConnectionView(scope: TenantScope, connection: UpstreamConnection) {
  const { [APPLE_PRIVATE_KEY_OPTION]: sealedKey, ...options } = connection.options;
  return {
    id: connection.id,
    slug: connection.slug,
    kind: connection.kind,
    display_name: connection.displayName,
    enabled: connection.enabled,
    client_id: connection.clientId,
    client_secret_set: connection.clientSecretEncrypted !== null,
    issuer: connection.issuer,
    authorization_endpoint: connection.authorizationEndpoint,
    token_endpoint: connection.tokenEndpoint,
    userinfo_endpoint: connection.userinfoEndpoint,
    scopes: connection.scopes,
    options,
    private_key_set: typeof sealedKey === "string",
    redirect_uri: upstreamCallbackUrl(scope.issuer, connection.slug),
    start_url: `${scope.issuer}/connections/${connection.slug}/start`,
    created_at: iso(connection.createdAt),
    updated_at: iso(connection.updatedAt),
  };
}
