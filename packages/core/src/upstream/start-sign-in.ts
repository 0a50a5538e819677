import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { randomSecret, sha256 } from "../crypto/secrets";
import type { UpstreamConnection } from "../ports/oauth-repositories";
import { enforceRateLimit } from "../sessions/rate-limits";
import { resolveProvider } from "./endpoints";

/** How long a user has to finish signing in at the provider. */
export const UPSTREAM_SIGN_IN_TTL_MS = 10 * 60_000;

/** What the `upstream_sign_in` one-time token remembers between start and callback. */
export interface UpstreamSignInState {
  connectionId: string;
  /** OIDC Core §3.1.2.1 nonce, echoed in the ID token; null for OAuth 2.0 providers. */
  nonce: string | null;
  redirectUri: string;
  /** Where the browser goes once signed in (a hosted page under the issuer: the authorization request resumes, /device, ...). */
  continueTo: string | null;
  /** SHA-256 of the browser-binding cookie value: the callback must come from the browser that started. */
  browserBindingHash: string;
}

/**
 * The RFC 7636 §4.1 code_verifier of a sign-in: derived from the browser's
 * binding value (256 random bits, held only in its HttpOnly cookie) and the
 * state, so the stored row holds no secret, and whoever sees the callback URL
 * (code and state) still cannot redeem the code. 43 base64url characters.
 */
export const pkceVerifier = (browserBinding: string, state: string): Promise<string> => sha256(`pkce:${browserBinding}:${state}`);

/** The redirect URI to register at the provider for this connection. */
export const upstreamCallbackUrl = (issuer: string, connectionSlug: string): string => `${issuer}/connections/${connectionSlug}/callback`;

export async function requireEnabledConnection(deps: CoreDeps, scope: TenantScope, slug: string): Promise<UpstreamConnection> {
  const connection = await deps.storage.upstreamConnections.getBySlug(scope.tenant.id, slug);
  if (!connection || !connection.enabled) throw new PlintoError("not_found", { detail: "no enabled connection with this name" });
  return connection;
}

/** Apple sends the response as a form post (cross-site POST) when name or email is asked for. */
function responseMode(connection: UpstreamConnection, scopes: string[]): string | null {
  return connection.kind === "apple" && scopes.some((s) => s === "name" || s === "email") ? "form_post" : null;
}

/**
 * Starts a sign-in at the connection's provider: a fresh `state` (RFC 6749
 * §10.12), `nonce` (OIDC Core §3.1.2.1) and PKCE S256 pair (RFC 7636 §4.2),
 * remembered as a one-time token keyed by SHA-256 of the state and bound to
 * the browser by `browserBinding` (a cookie value the route sets). Returns the
 * provider URL to redirect the browser to.
 */
export async function startUpstreamSignIn(
  deps: CoreDeps,
  scope: TenantScope,
  slug: string,
  input: { continueTo: string | null; browserBinding: string },
): Promise<{ url: string }> {
  const connection = await requireEnabledConnection(deps, scope, slug);
  // Each start stores a row and calls the provider: it counts as a sign-in attempt from this address.
  await enforceRateLimit(deps, scope, "sign_in:ip", scope.request.ip, {
    limit: scope.tenant.settings.rate_limits.sign_in_per_minute_per_ip,
    windowSeconds: 60,
  });
  const now = deps.clock.now();
  const provider = await resolveProvider(connection, now);
  const state = randomSecret(32);
  const data: UpstreamSignInState = {
    connectionId: connection.id,
    nonce: provider.protocol === "oidc" ? randomSecret(32) : null,
    redirectUri: upstreamCallbackUrl(scope.issuer, connection.slug),
    continueTo: input.continueTo,
    browserBindingHash: await sha256(input.browserBinding),
  };
  await deps.storage.oneTimeTokens.put({
    id: await sha256(state),
    tenantId: scope.tenant.id,
    purpose: "upstream_sign_in",
    subject: null,
    codeHash: null,
    attempts: 0,
    data: { ...data },
    createdAt: now,
    expiresAt: now + UPSTREAM_SIGN_IN_TTL_MS,
  });
  const url = new URL(provider.authorizationEndpoint);
  const params: Record<string, string | null> = {
    response_type: "code",
    client_id: connection.clientId,
    redirect_uri: data.redirectUri,
    scope: provider.scopes.join(" "),
    state,
    nonce: data.nonce,
    code_challenge: await sha256(await pkceVerifier(input.browserBinding, state)),
    code_challenge_method: "S256",
    response_mode: responseMode(connection, provider.scopes),
  };
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return { url: url.href };
}
