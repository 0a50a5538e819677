import { randomSecret, sha256 } from "../../crypto/secrets";
import type { CoreDeps, TenantScope } from "../../deps";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { enforceRateLimit } from "../../sessions/rate-limits";
import type { AuthorizationRequest } from "./authorization-request";

/** How long a validated request waits for the user to sign in and consent. */
export const AUTHORIZATION_REQUEST_TTL_MS = 10 * 60_000;
/** Requests one client IP may store per minute: far above any person's pace, a bound on unauthenticated writes. */
export const AUTHORIZE_REQUESTS_PER_MINUTE_PER_IP = 120;

/**
 * Stores a validated request (one-time token, purpose oauth_authorization_request) and returns its
 * id: a random secret that the hosted pages carry as `?request=`; only its SHA-256 is stored.
 * Rate limited per client IP (429 rate_limited, which the endpoint sends back as temporarily_unavailable).
 */
export async function storeAuthorizationRequest(deps: CoreDeps, scope: TenantScope, request: AuthorizationRequest): Promise<string> {
  await enforceRateLimit(deps, scope, "oauth_authorize:ip", scope.request.ip, { limit: AUTHORIZE_REQUESTS_PER_MINUTE_PER_IP, windowSeconds: 60 });
  const id = randomSecret(32);
  const now = deps.clock.now();
  await deps.storage.oneTimeTokens.put({
    id: await sha256(id),
    tenantId: scope.tenant.id,
    purpose: "oauth_authorization_request",
    subject: null,
    codeHash: null,
    attempts: 0,
    data: { ...request },
    createdAt: now,
    expiresAt: now + AUTHORIZATION_REQUEST_TTL_MS,
  });
  return id;
}

function isAuthorizationRequest(data: Record<string, unknown>): boolean {
  return (
    typeof data.clientId === "string" &&
    typeof data.redirectUri === "string" &&
    typeof data.scope === "string" &&
    Array.isArray(data.resources) &&
    typeof data.codeChallenge === "string" &&
    Array.isArray(data.prompt) &&
    typeof data.createdAt === "number"
  );
}

export interface PendingAuthorization {
  id: string;
  client: OAuthClient;
  request: AuthorizationRequest;
}

/** The stored request and its client (re-read: a client deleted meanwhile voids it); null when unknown or expired. */
export async function loadAuthorizationRequest(deps: CoreDeps, scope: TenantScope, id: string): Promise<PendingAuthorization | null> {
  if (!/^[\w-]{43}$/.test(id)) return null;
  const row = await deps.storage.oneTimeTokens.peek(scope.tenant.id, "oauth_authorization_request", await sha256(id), deps.clock.now());
  if (!row || !isAuthorizationRequest(row.data)) return null;
  const request = row.data as unknown as AuthorizationRequest;
  const client = await deps.storage.oauthClients.get(scope.tenant.id, request.clientId);
  return client ? { id, client, request } : null;
}

/** Ends the request (a code was issued or the user denied); false when another tab already ended it. */
export async function consumeAuthorizationRequest(deps: CoreDeps, scope: TenantScope, id: string): Promise<boolean> {
  const row = await deps.storage.oneTimeTokens.consume(scope.tenant.id, "oauth_authorization_request", await sha256(id), deps.clock.now());
  return row !== null;
}
