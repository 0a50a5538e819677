import type { CoreDeps, TenantScope } from "../../deps";
import type { OAuthClient, OAuthConsent } from "../../ports/oauth-repositories";
import type { AuthorizationRequest } from "./authorization-request";

/** What the consent screen says each built-in scope lets the client do (OIDC Core §5.4, §11). */
const OIDC_SCOPE_DESCRIPTIONS: Record<string, string> = {
  openid: "Confirm who you are",
  profile: "See your name",
  email: "See your email address",
  offline_access: "Stay connected when you are not using it",
};

export const scopeList = (scope: string): string[] => scope.split(" ").filter((value) => value !== "");

/** The requested scopes with their descriptions: built-in ones, then those the tenant's APIs define. */
export function describeScopes(scope: TenantScope, requested: string): { value: string; description: string }[] {
  const apiScopes = new Map<string, string>();
  for (const resource of scope.tenant.settings.oauth.resources) {
    for (const entry of resource.scopes) apiScopes.set(entry.value, `${entry.description} (${resource.name})`);
  }
  return scopeList(requested).map((value) => ({
    value,
    description: OIDC_SCOPE_DESCRIPTIONS[value] ?? apiScopes.get(value) ?? value,
  }));
}

/**
 * Consent is asked of third-party clients only (first-party ones are the tenant's own apps), when
 * prompt=consent asks for it (OIDC Core §3.1.2.1) or a requested scope was never allowed before.
 */
export function consentNeeded(client: OAuthClient, request: AuthorizationRequest, consent: OAuthConsent | null): boolean {
  if (client.firstParty) return false;
  if (request.prompt.includes("consent")) return true;
  const allowed = new Set(consent?.scopes ?? []);
  return scopeList(request.scope).some((value) => !allowed.has(value));
}

/** Remembers the user's Allow: the scopes join those allowed before, so the screen is shown once per new scope. */
export async function rememberConsent(
  deps: CoreDeps,
  scope: TenantScope,
  userId: string,
  clientId: string,
  requested: string,
): Promise<void> {
  const now = deps.clock.now();
  const previous = await deps.storage.oauthConsents.get(scope.tenant.id, userId, clientId);
  const scopes = [...new Set([...(previous?.scopes ?? []), ...scopeList(requested)])];
  await deps.storage.oauthConsents.put({
    tenantId: scope.tenant.id,
    userId,
    clientId,
    scopes,
    createdAt: previous?.createdAt ?? now,
    updatedAt: now,
  });
}
