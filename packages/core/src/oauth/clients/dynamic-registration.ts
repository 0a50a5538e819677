import type { ClientRegistrationRequest } from "@plinto/contracts";
import { randomSecret, sha256 } from "../../crypto/secrets";
import type { Actor, CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { enforceRateLimit } from "../../sessions/rate-limits";
import { validateClientProfile } from "./client-profile";
import { secretMatchesHash } from "./client-secret";
import { deleteOAuthClient } from "./delete-client";
import { checkInitialAccessToken, spendInitialAccessToken } from "./initial-access-tokens";
import { createOAuthClient, type SavedClient, updateOAuthClient } from "./manage-clients";
import { profileFromRegistration } from "./registration-metadata";

/** RFC 7592 registration access tokens look like `rat_<43 base64url chars>`. */
export const REGISTRATION_ACCESS_TOKEN_PREFIX = "rat_";
/** The registering client acts for itself; no user or key stands behind it. */
const CLIENT_ACTOR: Actor = { type: "anonymous" };

export interface RegisteredClient extends SavedClient {
  /** RFC 7592 bearer token for the client configuration endpoint; shown once, stored as SHA-256. */
  registrationAccessToken: string;
}

/**
 * Who may register (settings.oauth.dynamic_registration): nobody (the
 * endpoint does not exist: 404), anyone (rate-limited per IP, like sign-up),
 * or holders of an initial access token (RFC 7591 §3; RFC 6750 errors).
 */
async function admitRegistration(deps: CoreDeps, scope: TenantScope, bearer: string | null) {
  const mode = scope.tenant.settings.oauth.dynamic_registration;
  if (mode === "disabled") throw new PlintoError("not_found", { detail: "dynamic client registration is not enabled for this tenant" });
  if (mode === "open") {
    const rule = { limit: scope.tenant.settings.rate_limits.sign_up_per_hour_per_ip, windowSeconds: 3_600 };
    await enforceRateLimit(deps, scope, "client_registration:ip", scope.request.ip, rule);
    return null;
  }
  if (bearer === null) throw new PlintoError("unauthorized", { detail: "an initial access token is required (RFC 7591 §3)" });
  return checkInitialAccessToken(deps, scope, bearer);
}

/** RFC 7591 §3.1: registers a client; its secret (if any) and registration access token are returned once. */
export async function registerClient(
  deps: CoreDeps,
  scope: TenantScope,
  request: ClientRegistrationRequest,
  bearer: string | null,
): Promise<RegisteredClient> {
  const initial = await admitRegistration(deps, scope, bearer);
  const profile = profileFromRegistration(scope, request, null);
  // Validate before spending a use of the initial access token, so a rejected registration costs nothing.
  await validateClientProfile(scope, profile);
  if (initial) await spendInitialAccessToken(deps, scope, initial);
  const registrationAccessToken = `${REGISTRATION_ACCESS_TOKEN_PREFIX}${randomSecret(32)}`;
  const saved = await createOAuthClient(deps, scope, CLIENT_ACTOR, profile, {
    createdVia: "dynamic",
    registrationTokenHash: await sha256(registrationAccessToken),
  });
  return { ...saved, registrationAccessToken };
}

/**
 * RFC 7592 §2: the registration access token authenticates requests to the
 * client configuration endpoint. An unknown client, a client registered by
 * an admin, or a wrong token all answer 401 invalid_token (§2.1).
 */
export async function authenticateRegistration(deps: CoreDeps, scope: TenantScope, clientId: string, bearer: string): Promise<OAuthClient> {
  const client = clientId.length > 128 ? null : await deps.storage.oauthClients.get(scope.tenant.id, clientId);
  const hash = client?.registrationTokenHash ?? null;
  if (!client || hash === null || !(await secretMatchesHash(bearer, hash))) {
    throw new PlintoError("invalid_token", { detail: "the registration access token is invalid for this client" });
  }
  return client;
}

/**
 * RFC 7592 §2.2: replaces the client's metadata with the request (omitted
 * fields take their defaults). The client_id must be the client's own, and a
 * client_secret, if sent, its current one; the client cannot choose a secret.
 */
export async function updateRegistration(
  deps: CoreDeps,
  scope: TenantScope,
  client: OAuthClient,
  request: ClientRegistrationRequest & { client_id: string; client_secret?: string | undefined },
): Promise<SavedClient> {
  if (request.client_id !== client.id) throw new PlintoError("invalid_request", { detail: "client_id must be the client's own (RFC 7592 §2.2)" });
  if (request.client_secret !== undefined) {
    const matches = client.secretHash !== null && (await secretMatchesHash(request.client_secret, client.secretHash));
    if (!matches) throw new PlintoError("invalid_client_metadata", { detail: "client_secret must be the client's current secret (RFC 7592 §2.2)" });
  }
  return updateOAuthClient(deps, scope, CLIENT_ACTOR, client, profileFromRegistration(scope, request, client));
}

/** RFC 7592 §2.3: the client deletes itself; its grants and consents go with it. */
export async function deleteRegistration(deps: CoreDeps, scope: TenantScope, client: OAuthClient): Promise<void> {
  await deleteOAuthClient(deps, scope, CLIENT_ACTOR, client);
}
