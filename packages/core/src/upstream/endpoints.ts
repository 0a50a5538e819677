import { PlintoError } from "../errors";
import type { UpstreamConnection } from "../ports/oauth-repositories";
import { discoverProvider } from "./discovery";
import {
  type ClaimMapping,
  MICROSOFT_CONSUMERS_TID,
  MICROSOFT_LOGIN,
  MICROSOFT_MULTI_TENANT,
  microsoftIssuer,
  microsoftTenant,
  presetFor,
  requestedScopes,
} from "./presets";

/** Everything a sign-in needs to talk to the connection's provider, resolved once per request. */
export interface ResolvedProvider {
  protocol: "oidc" | "oauth2";
  /** The expected ID token `iss` (OIDC) or null (OAuth 2.0). */
  issuer: string | null;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  jwksUri: string | null;
  /** RFC 6749 §2.3.1: `client_secret_post` unless the provider supports only Basic. */
  tokenAuthMethod: "client_secret_post" | "client_secret_basic";
  issParameterSupported: boolean;
  scopes: string[];
  claims: ClaimMapping;
  /** True when an ID token's `iss` is acceptable for this connection (Microsoft's multi-tenant rule, below). */
  acceptsIdTokenIssuer(iss: string, claims: Record<string, unknown>): boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Microsoft's `common`, `organizations` and `consumers` endpoints publish the
 * issuer template `https://login.microsoftonline.com/{tenantid}/v2.0`: a token's
 * `iss` must then equal the template filled with the token's own `tid` (a GUID),
 * and `organizations` refuses personal accounts, `consumers` accepts only them.
 * A single tenant (its GUID or a verified domain) publishes its real issuer,
 * which tokens must name exactly (`token` null: the default rule).
 */
export function microsoftIssuerRule(tenant: string): {
  discovery: (found: string) => boolean;
  token: ((iss: string, claims: Record<string, unknown>) => boolean) | null;
} {
  if (!(MICROSOFT_MULTI_TENANT as readonly string[]).includes(tenant)) {
    const tenantIssuer = (found: string) => found.startsWith(`${MICROSOFT_LOGIN}/`) && GUID.test(found.slice(MICROSOFT_LOGIN.length + 1, -"/v2.0".length)) && found.endsWith("/v2.0");
    return { discovery: GUID.test(tenant) ? (found) => found === microsoftIssuer(tenant) : tenantIssuer, token: null };
  }
  return {
    discovery: (found) => found === microsoftIssuer("{tenantid}") || found === microsoftIssuer(MICROSOFT_CONSUMERS_TID),
    token: (iss, claims) => {
      const tid = typeof claims.tid === "string" ? claims.tid : "";
      if (!GUID.test(tid) || iss !== microsoftIssuer(tid)) return false;
      if (tenant === "organizations") return tid !== MICROSOFT_CONSUMERS_TID;
      if (tenant === "consumers") return tid === MICROSOFT_CONSUMERS_TID;
      return true;
    },
  };
}

/** Resolves the connection's endpoints: preset values, its own (`oauth2`), or OIDC discovery. */
export async function resolveProvider(connection: UpstreamConnection, now: number): Promise<ResolvedProvider> {
  const preset = presetFor(connection);
  const scopes = requestedScopes(connection, preset);
  const basicOnly = connection.options.token_endpoint_auth_method === "client_secret_basic";
  if (preset.protocol === "oauth2") {
    if (!preset.authorizationEndpoint || !preset.tokenEndpoint) throw new PlintoError("upstream_unavailable", { detail: "the connection has no endpoints" });
    return {
      protocol: "oauth2",
      issuer: null,
      authorizationEndpoint: preset.authorizationEndpoint,
      tokenEndpoint: preset.tokenEndpoint,
      userinfoEndpoint: preset.userinfoEndpoint ?? null,
      jwksUri: null,
      tokenAuthMethod: basicOnly ? "client_secret_basic" : "client_secret_post",
      issParameterSupported: false,
      scopes,
      claims: preset.claims,
      acceptsIdTokenIssuer: () => false,
    };
  }
  const issuer = preset.issuer;
  if (!issuer) throw new PlintoError("upstream_unavailable", { detail: "the connection has no issuer" });
  const rule = connection.kind === "microsoft" ? microsoftIssuerRule(microsoftTenant(connection.options)) : null;
  const metadata = await discoverProvider(issuer, now, rule?.discovery);
  const methods = metadata.tokenEndpointAuthMethods;
  const postSupported = methods.length === 0 || methods.includes("client_secret_post");
  return {
    protocol: "oidc",
    issuer: metadata.issuer,
    authorizationEndpoint: metadata.authorizationEndpoint,
    tokenEndpoint: metadata.tokenEndpoint,
    userinfoEndpoint: metadata.userinfoEndpoint,
    jwksUri: metadata.jwksUri,
    tokenAuthMethod: basicOnly || !postSupported ? "client_secret_basic" : "client_secret_post",
    issParameterSupported: metadata.issParameterSupported,
    scopes,
    claims: preset.claims,
    acceptsIdTokenIssuer: rule?.token ?? ((iss) => iss === metadata.issuer),
  };
}
