import type { ClientInformationResponse } from "@plinto/contracts";
import { type OAuthClient, seconds, usesClientSecret } from "@plinto/core";

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

export interface RegistrationCredentials {
  /** Only when this response issued it. */
  secret: string | null;
  registrationAccessToken: string;
  registrationClientUri: string;
}

/**
 * RFC 7591 §3.2.1 client information response (and RFC 7592 §3): the
 * registered metadata plus client_id, client_id_issued_at, the secret's
 * expiry (0: never) and the registration access token and URI.
 */
export function clientInformationView(client: OAuthClient, credentials: RegistrationCredentials): ClientInformationResponse {
  const { metadata } = client;
  const optional: Partial<ClientInformationResponse> = {};
  for (const key of ["client_uri", "logo_uri", "policy_uri", "tos_uri", "software_id", "software_version"] as const) {
    const value = text(metadata[key]);
    if (value !== undefined) optional[key] = value;
  }
  if (Array.isArray(metadata.contacts)) optional.contacts = metadata.contacts.filter((item): item is string => typeof item === "string");
  if (client.jwks !== null) optional.jwks = client.jwks;
  return {
    client_id: client.id,
    ...(credentials.secret === null ? {} : { client_secret: credentials.secret }),
    client_id_issued_at: seconds(client.createdAt),
    ...(usesClientSecret(client.tokenEndpointAuthMethod) ? { client_secret_expires_at: 0 } : {}),
    registration_access_token: credentials.registrationAccessToken,
    registration_client_uri: credentials.registrationClientUri,
    client_name: client.name,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    grant_types: client.grantTypes,
    response_types: client.grantTypes.includes("authorization_code") ? ["code"] : [],
    scope: client.allowedScopes.join(" "),
    application_type: metadata.application_type === "native" ? "native" : "web",
    post_logout_redirect_uris: client.postLogoutRedirectUris,
    ...optional,
  };
}
