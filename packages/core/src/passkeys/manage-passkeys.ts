import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { requireRecentAuthentication } from "../mfa/step-up-guard";
import type { Passkey } from "../ports/passkey-repository";
import type { Authenticated } from "../sessions/authenticate";

/** The signed-in user's passkeys, oldest first. */
export function listMyPasskeys(deps: CoreDeps, scope: TenantScope, auth: Authenticated): Promise<Passkey[]> {
  return deps.storage.passkeys.listForUser(scope.tenant.id, auth.user.id);
}

/** Renames one of the caller's passkeys; another user's passkey id is simply not found. */
export async function renameMyPasskey(
  deps: CoreDeps,
  scope: TenantScope,
  auth: Authenticated,
  id: string,
  name: string,
): Promise<Passkey> {
  const passkey = await deps.storage.passkeys.rename(scope.tenant.id, auth.user.id, id, name);
  if (!passkey) throw new PlintoError("not_found", { detail: "no passkey with this id" });
  await recordAuditEvent(deps, scope, { type: "passkey.renamed", actor: auth.actor, subjectId: auth.user.id, data: { passkey_id: id } });
  return passkey;
}

/** Deletes one of the caller's passkeys: removing a factor needs a recent authentication (step-up). */
export async function deleteMyPasskey(deps: CoreDeps, scope: TenantScope, auth: Authenticated, id: string): Promise<void> {
  requireRecentAuthentication(deps, scope, auth);
  const deleted = await deps.storage.passkeys.delete(scope.tenant.id, auth.user.id, id);
  if (!deleted) throw new PlintoError("not_found", { detail: "no passkey with this id" });
  await recordAuditEvent(deps, scope, { type: "passkey.deleted", actor: auth.actor, subjectId: auth.user.id, data: { passkey_id: id } });
}
