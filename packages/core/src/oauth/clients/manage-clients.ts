import { recordAuditEvent } from "../../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../../deps";
import { PlintoError } from "../../errors";
import type { OAuthClient } from "../../ports/oauth-repositories";
import { type ClientProfile, usesClientSecret, validateClientProfile } from "./client-profile";
import { mintClientSecret } from "./client-secret";
import { forgetClient } from "./client-cache";

/** A client as just saved, with its secret when this operation issued one (shown once, never stored). */
export interface SavedClient {
  client: OAuthClient;
  secret: string | null;
}

export interface NewClientOrigin {
  createdVia: OAuthClient["createdVia"];
  /** SHA-256 of the RFC 7592 registration access token (dynamic clients). */
  registrationTokenHash: string | null;
}

/** Audit data describing a client: never its secret, secret hash or keys. */
const auditData = (client: OAuthClient): Record<string, unknown> => ({
  name: client.name,
  type: client.type,
  token_endpoint_auth_method: client.tokenEndpointAuthMethod,
  grant_types: client.grantTypes,
  redirect_uris: client.redirectUris,
  created_via: client.createdVia,
});

/** Dynamically registered clients are never first-party: anyone could register one (RFC 7591 §5). */
function refuseDynamicFirstParty(createdVia: OAuthClient["createdVia"], profile: ClientProfile): void {
  if (createdVia === "dynamic" && profile.firstParty) {
    throw new PlintoError("invalid_client_metadata", { detail: "dynamically registered clients cannot be first-party" });
  }
}

export async function requireOAuthClient(deps: CoreDeps, scope: TenantScope, clientId: string): Promise<OAuthClient> {
  const client = await deps.storage.oauthClients.get(scope.tenant.id, clientId);
  if (!client) throw new PlintoError("not_found", { detail: "no OAuth client with this id" });
  return client;
}

/** Registers a client; a `cs_` secret is issued for secret-based methods and returned here once. */
export async function createOAuthClient(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  input: ClientProfile,
  origin: NewClientOrigin = { createdVia: "admin", registrationTokenHash: null },
): Promise<SavedClient> {
  refuseDynamicFirstParty(origin.createdVia, input);
  const profile = await validateClientProfile(scope, input);
  const minted = usesClientSecret(profile.tokenEndpointAuthMethod) ? await mintClientSecret() : null;
  const now = deps.clock.now();
  const client: OAuthClient = {
    ...profile,
    id: deps.ids.newId("cli"),
    tenantId: scope.tenant.id,
    secretHash: minted?.secretHash ?? null,
    createdVia: origin.createdVia,
    registrationTokenHash: origin.registrationTokenHash,
    createdAt: now,
    updatedAt: now,
  };
  await deps.storage.oauthClients.insert(client);
  await recordAuditEvent(deps, scope, { type: "oauth_client.created", actor, subjectId: client.id, data: auditData(client) });
  return { client, secret: minted?.secret ?? null };
}

/**
 * Replaces a client's settings with `next` (validated whole). Moving to a
 * secret-based method issues a secret when the client has none; moving away
 * from one drops it.
 */
export async function updateOAuthClient(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  current: OAuthClient,
  next: ClientProfile,
): Promise<SavedClient> {
  refuseDynamicFirstParty(current.createdVia, next);
  const profile = await validateClientProfile(scope, next);
  const needsSecret = usesClientSecret(profile.tokenEndpointAuthMethod);
  const minted = needsSecret && current.secretHash === null ? await mintClientSecret() : null;
  const secretHash = needsSecret ? (minted?.secretHash ?? current.secretHash) : null;
  const client: OAuthClient = { ...current, ...profile, secretHash, updatedAt: deps.clock.now() };
  if (!(await deps.storage.oauthClients.update(client))) throw new PlintoError("not_found", { detail: "no OAuth client with this id" });
  forgetClient(scope.tenant.id, client.id);
  await recordAuditEvent(deps, scope, { type: "oauth_client.updated", actor, subjectId: client.id, data: auditData(client) });
  return { client, secret: minted?.secret ?? null };
}

/** Issues a new secret; the previous one stops working at once (in other isolates within CLIENT_CACHE_TTL_MS, 5 s). */
export async function rotateOAuthClientSecret(deps: CoreDeps, scope: TenantScope, actor: Actor, clientId: string): Promise<string> {
  const current = await requireOAuthClient(deps, scope, clientId);
  if (!usesClientSecret(current.tokenEndpointAuthMethod)) {
    throw new PlintoError("conflict", { detail: `a ${current.tokenEndpointAuthMethod} client has no client secret` });
  }
  const minted = await mintClientSecret();
  const client: OAuthClient = { ...current, secretHash: minted.secretHash, updatedAt: deps.clock.now() };
  if (!(await deps.storage.oauthClients.update(client))) throw new PlintoError("not_found", { detail: "no OAuth client with this id" });
  forgetClient(scope.tenant.id, client.id);
  await recordAuditEvent(deps, scope, { type: "oauth_client.secret_rotated", actor, subjectId: client.id });
  return minted.secret;
}
