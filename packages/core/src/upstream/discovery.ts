import { PlintoError } from "../errors";
import { checkWebhookUrl } from "../webhooks/url-guard";
import { stringField, upstreamJson } from "./upstream-http";

/** The parts of an OpenID Provider's metadata (OIDC Discovery §3) a sign-in uses. */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  userinfoEndpoint: string | null;
  jwksUri: string;
  tokenEndpointAuthMethods: string[];
  /** RFC 9207 §3: the provider sends `iss` with every authorization response. */
  issParameterSupported: boolean;
}

const CACHE_MS = 10 * 60_000;
const cache = new Map<string, { metadata: ProviderMetadata; until: number }>();

/**
 * A discovered endpoint must be on the issuer's own origin (checked when the
 * connection was saved) or https to a public host (the webhook SSRF guard), so
 * a discovery document cannot point Plinto's server-side calls at an internal
 * address.
 */
function safeEndpoint(issuer: string, endpoint: string): boolean {
  try {
    return new URL(endpoint).origin === new URL(issuer).origin || checkWebhookUrl(endpoint, false).ok;
  } catch {
    return false;
  }
}

/**
 * Fetches `{issuer}/.well-known/openid-configuration` (OIDC Discovery §4) and
 * checks that its `issuer` is the one configured (§4.3), so one provider cannot
 * stand in for another. `expectIssuer` decides the match (Microsoft's
 * multi-tenant documents name a `{tenantid}` template). Kept for ten minutes
 * per isolate.
 */
export async function discoverProvider(issuer: string, now: number, expectIssuer: (found: string) => boolean = (found) => found === issuer): Promise<ProviderMetadata> {
  const cached = cache.get(issuer);
  if (cached && cached.until > now) return cached.metadata;
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  const { status, body } = await upstreamJson(url);
  if (status !== 200) throw new PlintoError("upstream_unavailable", { detail: `discovery at ${url} answered ${status}` });
  const found = stringField(body, "issuer");
  if (!found || !expectIssuer(found)) {
    throw new PlintoError("upstream_unavailable", { detail: `discovery at ${url} names issuer ${found ?? "(none)"}, not ${issuer}` });
  }
  const authorizationEndpoint = stringField(body, "authorization_endpoint");
  const tokenEndpoint = stringField(body, "token_endpoint");
  const jwksUri = stringField(body, "jwks_uri");
  if (!authorizationEndpoint || !tokenEndpoint || !jwksUri) {
    throw new PlintoError("upstream_unavailable", { detail: `discovery at ${url} lacks authorization_endpoint, token_endpoint or jwks_uri` });
  }
  const unsafe = [authorizationEndpoint, tokenEndpoint, jwksUri, stringField(body, "userinfo_endpoint")].find((endpoint) => endpoint !== null && !safeEndpoint(issuer, endpoint));
  if (unsafe) throw new PlintoError("upstream_unavailable", { detail: `discovery at ${url} names an endpoint on a private or non-https address` });
  const methods = body.token_endpoint_auth_methods_supported;
  const metadata: ProviderMetadata = {
    issuer: found,
    authorizationEndpoint,
    tokenEndpoint,
    userinfoEndpoint: stringField(body, "userinfo_endpoint"),
    jwksUri,
    tokenEndpointAuthMethods: Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : [],
    issParameterSupported: body.authorization_response_iss_parameter_supported === true,
  };
  cache.set(issuer, { metadata, until: now + CACHE_MS });
  return metadata;
}
