import type { TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { ClientAuthMethod, OAuthClient, OAuthGrantType } from "../../ports/oauth-repositories";
import { OIDC_SCOPES } from "../scopes";
import { validateClientJwks } from "./client-jwks";
import { redirectUriProblem } from "./redirect-uri-rules";

/** What a client's owner sets: everything but its id, secrets and bookkeeping. */
export type ClientProfile = Pick<
  OAuthClient,
  | "name"
  | "type"
  | "firstParty"
  | "tokenEndpointAuthMethod"
  | "jwks"
  | "redirectUris"
  | "postLogoutRedirectUris"
  | "grantTypes"
  | "allowedScopes"
  | "allowedResources"
  | "accessTokenTtlSeconds"
  | "refreshTokenTtlSeconds"
  | "metadata"
>;

/** Grants through which a user signs in (and so OIDC scopes and refresh tokens make sense). */
const USER_GRANTS: OAuthGrantType[] = ["authorization_code", "urn:ietf:params:oauth:grant-type:device_code"];

const metadataError = (detail: string): PlintoError => new PlintoError("invalid_client_metadata", { detail });

/** Secret-based methods: the client holds a `cs_` secret. */
export const usesClientSecret = (method: ClientAuthMethod): boolean =>
  method === "client_secret_basic" || method === "client_secret_post";

/**
 * Type and method together: a public client authenticates with `none` and a
 * confidential one never does (RFC 6749 §2.1). Missing values default to
 * confidential + client_secret_basic (RFC 7591 §2).
 */
export function resolveClientType(
  type: OAuthClient["type"] | undefined,
  method: ClientAuthMethod | undefined,
): { type: OAuthClient["type"]; tokenEndpointAuthMethod: ClientAuthMethod } {
  const resolvedType = type ?? (method === "none" ? "public" : "confidential");
  const resolvedMethod = method ?? (resolvedType === "public" ? "none" : "client_secret_basic");
  if ((resolvedType === "public") !== (resolvedMethod === "none")) {
    throw metadataError("public clients use token_endpoint_auth_method none, and only they do (RFC 6749 §2.1)");
  }
  return { type: resolvedType, tokenEndpointAuthMethod: resolvedMethod };
}

/** Scopes a client gets when it names none: the OIDC ones for a user grant, offline_access with refresh tokens. */
export function defaultAllowedScopes(grantTypes: OAuthGrantType[]): string[] {
  if (!grantTypes.some((grant) => USER_GRANTS.includes(grant))) return [];
  return OIDC_SCOPES.filter((value) => value !== "offline_access" || grantTypes.includes("refresh_token"));
}

function checkGrants(profile: ClientProfile): OAuthGrantType[] {
  const grants = [...new Set(profile.grantTypes)];
  if (grants.length === 0) throw metadataError("grant_types must name at least one grant");
  if (profile.type === "public" && grants.includes("client_credentials")) {
    throw metadataError("public clients cannot use client_credentials (RFC 6749 §4.4)");
  }
  if (grants.includes("refresh_token") && !grants.some((grant) => USER_GRANTS.includes(grant))) {
    throw metadataError("refresh_token needs authorization_code or the device_code grant");
  }
  return grants;
}

function checkRedirectUris(uris: string[], field: string, allowPrivateUseScheme: boolean): string[] {
  for (const uri of uris) {
    const problem = redirectUriProblem(uri, { allowPrivateUseScheme });
    if (problem) {
      const code = field === "redirect_uris" ? "invalid_redirect_uri" : "invalid_client_metadata";
      throw new PlintoError(code, { detail: `${field}: ${uri.slice(0, 200)} ${problem}` });
    }
  }
  return [...new Set(uris)];
}

function checkScopes(scope: TenantScope, scopes: string[]): string[] {
  const known = new Set<string>(OIDC_SCOPES);
  for (const resource of scope.tenant.settings.oauth.resources) for (const entry of resource.scopes) known.add(entry.value);
  const unknown = scopes.find((value) => !known.has(value));
  if (unknown !== undefined) throw metadataError(`scope ${unknown.slice(0, 128)} is neither an OIDC scope nor defined by one of the tenant's APIs`);
  return [...new Set(scopes)];
}

function checkResources(scope: TenantScope, resources: string[]): string[] {
  const apis = new Set(scope.tenant.settings.oauth.resources.map((resource) => resource.identifier));
  const unknown = resources.find((resource) => !apis.has(resource));
  if (unknown !== undefined) throw metadataError(`resource ${unknown.slice(0, 200)} is not one of the tenant's APIs (settings.oauth.resources)`);
  return [...new Set(resources)];
}

/**
 * Checks a client's settings as a whole against the rules and the tenant's
 * OAuth settings, and returns them normalised (duplicates dropped). Throws
 * invalid_redirect_uri or invalid_client_metadata (RFC 7591 §3.2.2).
 */
export async function validateClientProfile(scope: TenantScope, profile: ClientProfile): Promise<ClientProfile> {
  resolveClientType(profile.type, profile.tokenEndpointAuthMethod);
  const grantTypes = checkGrants(profile);
  const nativeApp = profile.type === "public";
  const redirectUris = checkRedirectUris(profile.redirectUris, "redirect_uris", nativeApp);
  if (grantTypes.includes("authorization_code") && redirectUris.length === 0) {
    throw new PlintoError("invalid_redirect_uri", { detail: "redirect_uris: the authorization_code grant needs at least one" });
  }
  if (profile.tokenEndpointAuthMethod === "private_key_jwt" && profile.jwks === null) {
    throw metadataError("private_key_jwt needs jwks (the client's public keys)");
  }
  return {
    ...profile,
    name: profile.name.trim(),
    grantTypes,
    redirectUris,
    postLogoutRedirectUris: checkRedirectUris(profile.postLogoutRedirectUris, "post_logout_redirect_uris", nativeApp),
    allowedScopes: checkScopes(scope, profile.allowedScopes),
    allowedResources: checkResources(scope, profile.allowedResources),
    jwks: profile.jwks === null ? null : await validateClientJwks(profile.jwks),
  };
}
