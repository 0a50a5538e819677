import type { CoreDeps, TenantScope } from "../deps";
import type { User } from "../model";

/**
 * Whether the user can still sign in without the linked identity `withoutIdentityId`:
 * a password, a passkey, or another identity linked through an enabled connection
 * (a disabled connection signs nobody in). Email links and codes are not counted:
 * a tenant may turn them off, and they only prove control of the mailbox.
 */
export async function keepsASignInMethod(deps: CoreDeps, scope: TenantScope, user: User, withoutIdentityId: string): Promise<boolean> {
  if (user.passwordHash !== null) return true;
  const tenantId = scope.tenant.id;
  if ((await deps.storage.passkeys.listForUser(tenantId, user.id)).length > 0) return true;
  const others = (await deps.storage.linkedIdentities.listForUser(tenantId, user.id)).filter((identity) => identity.id !== withoutIdentityId);
  if (others.length === 0) return false;
  const enabled = new Set((await deps.storage.upstreamConnections.list(tenantId)).filter((connection) => connection.enabled).map((connection) => connection.id));
  return others.some((identity) => enabled.has(identity.connectionId));
}
