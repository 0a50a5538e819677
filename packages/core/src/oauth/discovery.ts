import type { TenantScope } from "../deps";
import { CLIENT_AUTH_SIGNING_ALGORITHMS } from "./clients/client-assertion";
import { providerEndpoints } from "./endpoints";
import { OIDC_SCOPES } from "./scopes";
import { CLAIMS_SUPPORTED } from "./user-claims";

/** The grant types the token endpoint dispatches (RFC 8414 §2 grant_types_supported). */
export const SUPPORTED_GRANT_TYPES = [
  "authorization_code",
  "refresh_token",
  "client_credentials",
  "urn:ietf:params:oauth:grant-type:device_code",
] as const;

/** Client authentication at the token and device endpoints (RFC 6749 §2.3, RFC 7523 §2.2, "none" for public clients). */
const TOKEN_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt", "none"] as const;
/** Introspection needs a real client credential (RFC 7662 §2.1), so no "none". */
const INTROSPECTION_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "private_key_jwt"] as const;

/**
 * OpenID Provider Metadata (OIDC Discovery 1.0 §3), which is also RFC 8414 §2
 * Authorization Server Metadata. Every member states a fact about this
 * deployment; members whose defaults would claim support Plinto lacks
 * (request_uri_parameter_supported defaults to true) are stated as false.
 */
export type IssuerMetadata = ReturnType<typeof issuerMetadata>;

export function issuerMetadata(scope: TenantScope) {
  const { issuer, tenant } = scope;
  const endpoints = providerEndpoints(issuer);
  const oauth = tenant.settings.oauth;
  const alg = tenant.settings.signing_algorithm;
  return {
    issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    userinfo_endpoint: endpoints.userinfo,
    jwks_uri: endpoints.jwks,
    // RFC 8414 §2: present only when dynamic client registration (RFC 7591) is enabled.
    ...(oauth.dynamic_registration !== "disabled" ? { registration_endpoint: endpoints.registration } : {}),
    scopes_supported: supportedScopes(scope),
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: [...SUPPORTED_GRANT_TYPES],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [alg],
    token_endpoint_auth_methods_supported: [...TOKEN_AUTH_METHODS],
    token_endpoint_auth_signing_alg_values_supported: [...CLIENT_AUTH_SIGNING_ALGORITHMS],
    code_challenge_methods_supported: ["S256"],
    claims_supported: [...CLAIMS_SUPPORTED],
    claim_types_supported: ["normal"],
    // RFC 7009 §2.1: public clients revoke with their client_id alone.
    revocation_endpoint: endpoints.revocation,
    revocation_endpoint_auth_methods_supported: [...TOKEN_AUTH_METHODS],
    revocation_endpoint_auth_signing_alg_values_supported: [...CLIENT_AUTH_SIGNING_ALGORITHMS],
    introspection_endpoint: endpoints.introspection,
    introspection_endpoint_auth_methods_supported: [...INTROSPECTION_AUTH_METHODS],
    introspection_endpoint_auth_signing_alg_values_supported: [...CLIENT_AUTH_SIGNING_ALGORITHMS],
    end_session_endpoint: endpoints.endSession,
    device_authorization_endpoint: endpoints.deviceAuthorization,
    // RFC 9207 §3: authorization responses carry `iss`.
    authorization_response_iss_parameter_supported: true,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    claims_parameter_supported: false,
  };
}

/** OIDC scopes plus every scope the tenant's APIs define (RFC 8707 resources), each once. */
function supportedScopes(scope: TenantScope): string[] {
  const resourceScopes = scope.tenant.settings.oauth.resources.flatMap((resource) => resource.scopes.map((entry) => entry.value));
  return [...new Set<string>([...OIDC_SCOPES, ...resourceScopes])];
}
