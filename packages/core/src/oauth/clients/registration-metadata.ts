import type { ClientRegistrationRequest } from "@plinto/contracts";
import type { TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { type ClientProfile, defaultAllowedScopes, resolveClientType } from "./client-profile";

/** Shown when a dynamically registered client gives no client_name. */
export const UNNAMED_CLIENT = "Unnamed client";

/** RFC 7591 §2 display metadata kept verbatim in `metadata` (and echoed in the client information response). */
const KEPT_FIELDS = ["client_uri", "logo_uri", "policy_uri", "tos_uri", "contacts", "software_id", "software_version"] as const;

/** The tenant APIs one of whose scopes the client registered: it may ask tokens for them (RFC 8707). */
function resourcesForScopes(scope: TenantScope, scopes: string[]): string[] {
  return scope.tenant.settings.oauth.resources
    .filter((resource) => resource.scopes.some((entry) => scopes.includes(entry.value)))
    .map((resource) => resource.identifier);
}

/**
 * RFC 7591 §2.1: grant_types and response_types must agree — the
 * authorization_code grant goes with the `code` response type, and only it.
 */
function checkResponseTypes(request: ClientRegistrationRequest, grantTypes: OAuthClient["grantTypes"]): void {
  const codeGrant = grantTypes.includes("authorization_code");
  const codeResponse = (request.response_types ?? (codeGrant ? ["code"] : [])).includes("code");
  if (codeGrant !== codeResponse) {
    throw new PlintoError("invalid_client_metadata", {
      detail: "response_types must be [code] exactly when grant_types includes authorization_code (RFC 7591 §2.1)",
    });
  }
}

/**
 * The client settings an RFC 7591 registration (or RFC 7592 update) asks
 * for, with the RFC's defaults: client_secret_basic, [authorization_code],
 * and the OIDC scopes. Dynamic clients are never first-party and use the
 * tenant's token lifetimes; `current` keeps lifetimes an admin set.
 */
export function profileFromRegistration(
  scope: TenantScope,
  request: ClientRegistrationRequest,
  current: OAuthClient | null,
): ClientProfile {
  if (request.jwks_uri !== undefined) {
    throw new PlintoError("invalid_client_metadata", { detail: "jwks_uri is not supported; register the keys as jwks" });
  }
  const { type, tokenEndpointAuthMethod } = resolveClientType(undefined, request.token_endpoint_auth_method ?? "client_secret_basic");
  const grantTypes = request.grant_types ?? ["authorization_code"];
  checkResponseTypes(request, grantTypes);
  const allowedScopes = request.scope === undefined ? defaultAllowedScopes(grantTypes) : request.scope.split(" ").filter((value) => value !== "");
  const metadata: Record<string, unknown> = { application_type: request.application_type ?? "web" };
  for (const field of KEPT_FIELDS) if (request[field] !== undefined) metadata[field] = request[field];
  return {
    name: request.client_name ?? UNNAMED_CLIENT,
    type,
    firstParty: false,
    tokenEndpointAuthMethod,
    jwks: request.jwks ?? null,
    redirectUris: request.redirect_uris ?? [],
    postLogoutRedirectUris: request.post_logout_redirect_uris ?? [],
    grantTypes,
    allowedScopes,
    allowedResources: resourcesForScopes(scope, allowedScopes),
    accessTokenTtlSeconds: current?.accessTokenTtlSeconds ?? null,
    refreshTokenTtlSeconds: current?.refreshTokenTtlSeconds ?? null,
    metadata,
  };
}
