import type { CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { User } from "../../model";
import type { SessionRecord } from "../../ports/session-store";
import { issueAuthorizationCode } from "../authorization-codes";
import { authorizationResponseUri } from "./authorization-response";
import { consentNeeded } from "./consent";
import { consumeAuthorizationRequest, type PendingAuthorization } from "./stored-request";

export interface LoginState {
  user: User;
  session: SessionRecord;
}

export type AuthorizationStep = { step: "login" } | { step: "consent" } | { step: "issue"; login: LoginState };

/**
 * Whether the browser's sign-in is good enough for this request (OIDC Core §3.1.2.1):
 * prompt=login / select_account ask for a new sign-in, and max_age bounds the age of the last one.
 * A sign-in made after the request arrived satisfies all of them (otherwise max_age=0 would loop).
 */
function signInSatisfies(pending: PendingAuthorization, login: LoginState | null, now: number): login is LoginState {
  if (!login) return false;
  const { request } = pending;
  if (login.session.verifiedAt >= request.createdAt) return true;
  if (request.prompt.includes("login") || request.prompt.includes("select_account")) return false;
  return request.maxAge === null || now - login.session.verifiedAt <= request.maxAge * 1000;
}

/**
 * What the request needs next: a sign-in, the consent screen, or nothing (issue the code).
 * With prompt=none the first two are errors for the client: login_required, consent_required.
 */
export async function nextAuthorizationStep(
  deps: CoreDeps,
  scope: TenantScope,
  pending: PendingAuthorization,
  login: LoginState | null,
): Promise<AuthorizationStep> {
  const silent = pending.request.prompt.includes("none");
  if (!signInSatisfies(pending, login, deps.clock.now())) {
    if (silent) throw new PlintoError("login_required", { detail: "the user is not signed in" });
    return { step: "login" };
  }
  const consent = await deps.storage.oauthConsents.get(scope.tenant.id, login.user.id, pending.client.id);
  if (consentNeeded(pending.client, pending.request, consent)) {
    if (silent) throw new PlintoError("consent_required", { detail: "the user has not allowed this client these scopes" });
    return { step: "consent" };
  }
  return { step: "issue", login };
}

/** Ends the request with a code (RFC 6749 §4.1.2): the redirect URI with code, state and iss. */
export async function approveAuthorization(deps: CoreDeps, scope: TenantScope, pending: PendingAuthorization, login: LoginState): Promise<string> {
  if (!(await consumeAuthorizationRequest(deps, scope, pending.id))) {
    throw new PlintoError("invalid_request", { detail: "this authorization request was already completed" });
  }
  const { request } = pending;
  const code = await issueAuthorizationCode(deps, scope, {
    clientId: pending.client.id,
    redirectUri: request.redirectUri,
    scope: request.scope,
    resources: request.resources,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: "S256",
    nonce: request.nonce,
    userId: login.user.id,
    amr: login.session.amr,
    authTime: login.session.verifiedAt,
    acr: null,
    loginSessionId: login.session.id,
  });
  return authorizationResponseUri(request.redirectUri, { code, state: request.state, iss: scope.issuer });
}

/** Ends the request with an error for the client (RFC 6749 §4.1.2.1), e.g. access_denied when the user said no. */
export async function rejectAuthorization(
  deps: CoreDeps,
  scope: TenantScope,
  pending: PendingAuthorization,
  error: string,
  description: string,
): Promise<string> {
  await consumeAuthorizationRequest(deps, scope, pending.id);
  return authorizationErrorUri(scope, pending.request.redirectUri, pending.request.state, error, description);
}

export function authorizationErrorUri(scope: TenantScope, redirectUri: string, state: string | null, error: string, description: string): string {
  return authorizationResponseUri(redirectUri, { error, error_description: description, state, iss: scope.issuer });
}
