import type { CoreDeps } from "../deps";
import { PlintoError } from "../errors";
import type { User } from "../model";

/**
 * Erasure refuses, before it changes anything, to leave an organization
 * without an owner: the admin transfers ownership or deletes the organization
 * first (docs/organizations.md), as Auth0 and Clerk users would expect.
 */
export async function refuseLastOwner(deps: Pick<CoreDeps, "storage">, tenantId: string, userId: string): Promise<void> {
  const organizations = await deps.storage.memberships.soleOwnerOf(tenantId, userId);
  if (organizations.length === 0) return;
  throw new PlintoError("last_owner", {
    detail: `The user is the only owner of ${organizations.join(", ")}; transfer ownership or delete the organization first`,
  });
}

/** A string as it appears inside a JSON string literal (the delivery log keeps payloads as JSON text). */
const asJsonText = (value: string): string => JSON.stringify(value).slice(1, -1);

/**
 * The user's OAuth grants and consents and their linked upstream identities
 * (the user row's deletion would cascade to them too; deleting them here keeps
 * erasure explicit and re-runnable). The grants' sessions were revoked with
 * every other session of the user, so nothing else needs revoking.
 */
async function eraseLinkedAccounts(deps: Pick<CoreDeps, "storage">, tenantId: string, userId: string): Promise<void> {
  await deps.storage.oauthGrants.deleteForUser(tenantId, userId);
  await deps.storage.oauthConsents.deleteForUser(tenantId, userId);
  await deps.storage.linkedIdentities.deleteForUser(tenantId, userId);
}

/**
 * The user's OAuth grants, consents and linked identities are deleted.
 * Organization invitations and webhook deliveries that name the user:
 * invitations to their email are deleted, invitations they sent name the
 * pseudonym; deliveries whose payload carries their id or email are deleted
 * whatever their status, so a replay has nothing to resend. The name is not
 * searched: every payload that carries it also carries the id, and a common
 * name would take other users' deliveries with it.
 */
export async function eraseRelatedData(
  deps: Pick<CoreDeps, "storage">,
  tenantId: string,
  user: User,
  pseudonym: string,
): Promise<{ invitations: number; webhookDeliveries: number }> {
  await eraseLinkedAccounts(deps, tenantId, user.id);
  const invitations = await deps.storage.invitations.eraseForUser(tenantId, user, pseudonym);
  const needles = [user.id, user.email, user.emailNormalized].map(asJsonText).filter((needle, index, all) => all.indexOf(needle) === index);
  const webhookDeliveries = await deps.storage.webhookDeliveries.deleteMentioning(tenantId, needles);
  return { invitations: invitations.deleted + invitations.pseudonymised, webhookDeliveries };
}
