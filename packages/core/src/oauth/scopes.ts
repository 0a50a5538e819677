import type { TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { OAuthClient } from "../ports/oauth-repositories";

/** Scopes of OpenID Connect itself (OIDC Core §3.1.2.1, §5.4, §11); always known to every tenant. */
export const OIDC_SCOPES = ["openid", "profile", "email", "offline_access"] as const;
const OIDC = new Set<string>(OIDC_SCOPES);

/** RFC 6749 §3.3 scope-token: 1*NQCHAR. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,128}$/;
const MAX_SCOPES = 100;
const MAX_RESOURCES = 10;

/** Parses a space-delimited scope string (RFC 6749 §3.3) into distinct tokens, in order; malformed -> invalid_scope. */
export function parseScope(scope: string): string[] {
  const tokens = scope.split(" ").filter((token) => token !== "");
  if (tokens.length > MAX_SCOPES) throw new PlintoError("invalid_scope", { detail: "too many scopes" });
  for (const token of tokens) {
    if (!SCOPE_TOKEN.test(token)) throw new PlintoError("invalid_scope", { detail: "a scope is not a valid scope token" });
  }
  return [...new Set(tokens)];
}

/** Whether a space-delimited scope string contains `value`. */
export const hasScope = (scope: string, value: string): boolean => scope.split(" ").includes(value);

/** Scopes the tenant knows: the OIDC ones and those its APIs define. */
function tenantScopes(scope: TenantScope): Set<string> {
  const known = new Set<string>(OIDC_SCOPES);
  for (const resource of scope.tenant.settings.oauth.resources) {
    for (const entry of resource.scopes) known.add(entry.value);
  }
  return known;
}

/**
 * Parses a space-delimited scope (RFC 6749 §3.3), checks each against the
 * client's allowedScopes and the tenant's resources; throws invalid_scope.
 * An omitted scope means the client's registered scopes (RFC 6749 §3.3
 * "pre-defined default value"). Resources (RFC 8707 §2) are checked against
 * the tenant's APIs and client.allowedResources -> invalid_target; the issuer
 * itself is always a valid resource. Returns the granted scope string and resource list.
 */
export function resolveRequestedAccess(
  scope: TenantScope,
  client: OAuthClient,
  requested: { scope: string | null; resources: string[] },
): { scope: string; resources: string[] } {
  const known = tenantScopes(scope);
  const tokens = requested.scope === null ? client.allowedScopes.filter((value) => known.has(value)) : parseScope(requested.scope);
  for (const token of tokens) {
    if (!client.allowedScopes.includes(token) || !known.has(token)) {
      throw new PlintoError("invalid_scope", { detail: `scope ${token} is not allowed for this client` });
    }
  }
  return { scope: tokens.join(" "), resources: resolveResources(scope, client, requested.resources) };
}

/** RFC 8707 §2: absolute URIs without fragment, each a tenant API the client may use (or the issuer). */
function resolveResources(scope: TenantScope, client: OAuthClient, resources: string[]): string[] {
  if (resources.length > MAX_RESOURCES) throw new PlintoError("invalid_target", { detail: "too many resources" });
  const apis = new Set(scope.tenant.settings.oauth.resources.map((resource) => resource.identifier));
  for (const resource of resources) {
    if (!isAbsoluteUriWithoutFragment(resource)) {
      throw new PlintoError("invalid_target", { detail: "a resource must be an absolute URI without a fragment" });
    }
    const allowed = resource === scope.issuer || (apis.has(resource) && client.allowedResources.includes(resource));
    if (!allowed) throw new PlintoError("invalid_target", { detail: "the resource is unknown or not allowed for this client" });
  }
  return [...new Set(resources)];
}

function isAbsoluteUriWithoutFragment(value: string): boolean {
  if (value.includes("#")) return false;
  try {
    return new URL(value).protocol !== "";
  } catch {
    return false;
  }
}

/**
 * A scope asked for at the token endpoint against what was granted: it may
 * narrow, never widen (RFC 6749 §6; §3.3). Omitted = everything granted.
 */
export function narrowScope(granted: string, requested: string | undefined): string {
  if (requested === undefined) return granted;
  const allowed = new Set(parseScope(granted));
  const tokens = parseScope(requested);
  for (const token of tokens) {
    if (!allowed.has(token)) throw new PlintoError("invalid_scope", { detail: `scope ${token} exceeds the grant` });
  }
  return tokens.join(" ");
}

/** RFC 8707 §2.2: resources named at the token endpoint must be among those granted; none named = all granted. */
export function narrowResources(granted: string[], requested: string[]): string[] {
  for (const resource of requested) {
    if (!granted.includes(resource)) throw new PlintoError("invalid_target", { detail: "the resource was not granted" });
  }
  return requested.length > 0 ? [...new Set(requested)] : granted;
}

/** True for scopes that only make sense with a user (client credentials may not ask for them). */
export const isOidcScope = (value: string): boolean => OIDC.has(value);
