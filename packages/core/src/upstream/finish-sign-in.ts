import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { UpstreamConnection } from "../ports/oauth-repositories";
import { clientSecretFor } from "./connection-secrets";
import { type ResolvedProvider, resolveProvider } from "./endpoints";
import { exchangeCode } from "./exchange-code";
import { verifyIdToken } from "./id-token";
import { githubApiBase } from "./presets";
import { type ResolvedAccount, resolveUpstreamAccount } from "./resolve-account";
import { pkceVerifier, requireEnabledConnection, type UpstreamSignInState } from "./start-sign-in";
import { fetchUserinfo, githubEmail, profileFromClaims, type UpstreamProfile } from "./upstream-profile";

/** The authorization response as the callback received it (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207 `iss`). */
export interface UpstreamCallback {
  state: string | null;
  code: string | null;
  error: string | null;
  errorDescription: string | null;
  iss: string | null;
  /** Apple's form-post `user` field (JSON with the name, sent on the first authorization only). */
  appleUser: string | null;
  /** The browser-binding cookie value, null when the browser sent none. */
  browserBinding: string | null;
}

export interface UpstreamSignIn extends ResolvedAccount {
  connection: UpstreamConnection;
  continueTo: string | null;
}

/** Consumes the one-time state (RFC 6749 §10.12): unknown, expired, replayed, other connection or other browser all fail alike. */
async function consumeState(deps: CoreDeps, scope: TenantScope, connection: UpstreamConnection, callback: UpstreamCallback): Promise<UpstreamSignInState & { codeVerifier: string }> {
  if (!callback.state) throw new PlintoError("invalid_upstream_state");
  const row = await deps.storage.oneTimeTokens.consume(scope.tenant.id, "upstream_sign_in", await sha256(callback.state), deps.clock.now());
  const data = row?.data as UpstreamSignInState | undefined;
  if (!data || data.connectionId !== connection.id) throw new PlintoError("invalid_upstream_state");
  if (callback.browserBinding === null || (await sha256(callback.browserBinding)) !== data.browserBindingHash) {
    throw new PlintoError("invalid_upstream_state", { detail: "the sign-in was started in another browser" });
  }
  return { ...data, codeVerifier: await pkceVerifier(callback.browserBinding, callback.state) };
}

/** Printable ASCII only, bounded: the provider's words end up on our error page. */
const printable = (value: string | null, max: number): string => (value ?? "").replace(/[^\x20-\x7e]/g, "").slice(0, max);

/** RFC 9207 §2.4: an `iss` parameter must name the provider; a provider that promises it must send it. */
function checkIssParameter(provider: ResolvedProvider, iss: string | null): void {
  if (provider.issuer === null || provider.issuer.includes("{")) return;
  if (iss === null ? provider.issParameterSupported : iss !== provider.issuer) {
    throw new PlintoError("upstream_token_rejected", { detail: "the authorization response names another issuer (RFC 9207)" });
  }
}

function appleName(appleUser: string | null): string | null {
  if (!appleUser) return null;
  try {
    const parsed = JSON.parse(appleUser) as { name?: { firstName?: unknown; lastName?: unknown } };
    const parts = [parsed.name?.firstName, parsed.name?.lastName].filter((p): p is string => typeof p === "string" && p !== "");
    return parts.length > 0 ? parts.join(" ").slice(0, 200) : null;
  } catch {
    return null;
  }
}

/** The profile behind the tokens: ID token claims (OIDC), userinfo where needed, GitHub's verified primary email. */
async function profileFor(deps: CoreDeps, connection: UpstreamConnection, provider: ResolvedProvider, state: UpstreamSignInState, tokens: { accessToken: string; idToken: string | null }): Promise<UpstreamProfile> {
  let claims: Record<string, unknown> = {};
  if (provider.protocol === "oidc") {
    if (!tokens.idToken) throw new PlintoError("upstream_token_rejected", { detail: "the provider returned no ID token" });
    claims = await verifyIdToken(provider, tokens.idToken, { clientId: connection.clientId, nonce: state.nonce, now: deps.clock.now() });
  }
  const needsUserinfo = provider.protocol === "oauth2" || claims[provider.claims.email] === undefined;
  if (needsUserinfo && provider.userinfoEndpoint) {
    const info = await fetchUserinfo(provider.userinfoEndpoint, tokens.accessToken);
    // OIDC Core §5.3.4: userinfo about another subject must not be used.
    if (provider.protocol === "oidc" && info.sub !== claims.sub) throw new PlintoError("upstream_token_rejected", { detail: "userinfo names another subject" });
    claims = { ...info, ...claims };
  }
  const profile = profileFromClaims(claims, provider.claims);
  if (connection.kind === "github") {
    const primary = await githubEmail(tokens.accessToken, githubApiBase(connection.options));
    return { ...profile, email: primary?.email ?? profile.email, emailVerified: primary?.verified ?? false };
  }
  return profile;
}

/**
 * The callback of an upstream sign-in: state consumed once and bound to the
 * browser, the provider's error shown as such, the code redeemed with the PKCE
 * verifier, the ID token verified, and the identity resolved to a user.
 */
export async function finishUpstreamSignIn(deps: CoreDeps, scope: TenantScope, slug: string, callback: UpstreamCallback): Promise<UpstreamSignIn> {
  const connection = await requireEnabledConnection(deps, scope, slug);
  try {
    const state = await consumeState(deps, scope, connection, callback);
    if (callback.error !== null) {
      const description = printable(callback.errorDescription, 200);
      throw new PlintoError("upstream_sign_in_failed", { detail: `${printable(callback.error, 64)}${description ? `: ${description}` : ""}` });
    }
    const provider = await resolveProvider(connection, deps.clock.now());
    checkIssParameter(provider, callback.iss);
    if (!callback.code) throw new PlintoError("upstream_sign_in_failed", { detail: "the provider sent no code" });
    const clientSecret = await clientSecretFor(deps.vault, connection, deps.clock.now());
    const tokens = await exchangeCode(provider, { clientId: connection.clientId, clientSecret }, { code: callback.code, redirectUri: state.redirectUri, codeVerifier: state.codeVerifier });
    const profile = await profileFor(deps, connection, provider, state, tokens);
    const named = connection.kind === "apple" && !profile.name ? { ...profile, name: appleName(callback.appleUser) } : profile;
    const account = await resolveUpstreamAccount(deps, scope, connection, named);
    await recordAuditEvent(deps, scope, {
      type: "upstream.sign_in",
      actor: { type: "user", userId: account.user.id, sessionId: "", role: account.user.role },
      subjectId: account.user.id,
      data: { connection_id: connection.id, connection: connection.slug, outcome: account.outcome },
    });
    return { ...account, connection, continueTo: state.continueTo };
  } catch (error) {
    if (error instanceof PlintoError) {
      await recordAuditEvent(deps, scope, {
        type: "upstream.sign_in_failed",
        actor: { type: "anonymous" },
        data: { connection_id: connection.id, connection: connection.slug, code: error.code, reason: error.message },
      });
    }
    throw error;
  }
}
