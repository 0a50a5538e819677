import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { requireRecentAuthentication } from "../mfa/step-up-guard";
import type { User } from "../model";
import type { LinkedIdentity, UpstreamConnection } from "../ports/oauth-repositories";
import type { Authenticated } from "../sessions/authenticate";
import { getUser } from "../users/admin-users";
import { keepsASignInMethod } from "./sign-in-methods";

/** A user's account at an upstream provider with the connection it came through (never tokens or secrets). */
export interface LinkedIdentityEntry {
  identity: LinkedIdentity;
  connection: UpstreamConnection;
}

/** The user's linked identities, oldest first, each with its connection. */
export async function listLinkedIdentities(deps: CoreDeps, scope: TenantScope, userId: string): Promise<LinkedIdentityEntry[]> {
  const tenantId = scope.tenant.id;
  const identities = await deps.storage.linkedIdentities.listForUser(tenantId, userId);
  if (identities.length === 0) return [];
  const connections = new Map((await deps.storage.upstreamConnections.list(tenantId)).map((connection) => [connection.id, connection]));
  const entries: LinkedIdentityEntry[] = [];
  // A connection's identities are deleted with it; one missing here is mid-deletion and not shown.
  for (const identity of identities) {
    const connection = connections.get(identity.connectionId);
    if (connection) entries.push({ identity, connection });
  }
  return entries.sort((a, b) => a.identity.createdAt - b.identity.createdAt || a.identity.id.localeCompare(b.identity.id));
}

/**
 * Unlinks one of the user's identities, unless the user would be left with no
 * way to sign in (409 `last_sign_in_method`). The check runs again after the
 * delete: when concurrent unlinks removed each other's alternative, the
 * identity is put back and this request refused, so at least one remains.
 */
export async function unlinkIdentity(deps: CoreDeps, scope: TenantScope, user: User, identityId: string, actor: Actor): Promise<void> {
  const tenantId = scope.tenant.id;
  const identity = (await deps.storage.linkedIdentities.listForUser(tenantId, user.id)).find((candidate) => candidate.id === identityId);
  if (!identity) throw new PlintoError("not_found", { detail: "no linked identity with this id" });
  if (!(await keepsASignInMethod(deps, scope, user, identity.id))) throw lastSignInMethod();
  if (!(await deps.storage.linkedIdentities.delete(tenantId, identity.id))) throw new PlintoError("not_found", { detail: "no linked identity with this id" });
  if (!(await keepsASignInMethod(deps, scope, user, identity.id))) {
    await deps.storage.linkedIdentities.insert(identity);
    throw lastSignInMethod();
  }
  const connection = await deps.storage.upstreamConnections.get(tenantId, identity.connectionId);
  await recordAuditEvent(deps, scope, {
    type: "upstream.unlinked",
    actor,
    subjectId: user.id,
    data: { connection_id: identity.connectionId, connection: connection?.slug ?? null, linked_identity_id: identity.id },
  });
}

const lastSignInMethod = () =>
  new PlintoError("last_sign_in_method", { detail: "set a password, add a passkey or link another account before unlinking this one" });

/** GET /me/identities. */
export function listMyIdentities(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<LinkedIdentityEntry[]> {
  return listLinkedIdentities(deps, scope, auth.user.id);
}

/** DELETE /me/identities/{id}: removing a way to sign in needs a recent authentication (step-up), like removing a factor. */
export async function unlinkMyIdentity(deps: CoreDeps, scope: TenantScope, auth: Authenticated, identityId: string): Promise<void> {
  requireRecentAuthentication(deps, scope, auth);
  await unlinkIdentity(deps, scope, auth.user, identityId, auth.actor);
}

/** GET /admin/users/{id}/identities: 404 for an unknown user. */
export async function adminListUserIdentities(deps: CoreDeps, scope: TenantScope, userId: string): Promise<LinkedIdentityEntry[]> {
  const user = await getUser(deps, scope, userId);
  return listLinkedIdentities(deps, scope, user.id);
}

/** DELETE /admin/users/{id}/identities/{identityId}: the same last-method rule as for the user. */
export async function adminUnlinkIdentity(deps: CoreDeps, scope: TenantScope, userId: string, identityId: string, actor: Actor): Promise<void> {
  const user = await getUser(deps, scope, userId);
  await unlinkIdentity(deps, scope, user, identityId, actor);
}
