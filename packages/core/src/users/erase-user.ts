import { pseudonymiseAuditTrail } from "../audit/pseudonymise";
import { recordAuditEvent } from "../audit/record-audit-event";
import { type Actor, actorId, type CoreDeps, type TenantScope } from "../deps";
import type { User } from "../model";
import { bucketKey } from "../sessions/rate-limits";
import { revocationTarget } from "../sessions/revocation-target";
import { getUser } from "./admin-users";
import { eraseRelatedData, refuseLastOwner } from "./erase-related-data";

/** Names shorter than this are too common to search the audit data for. */
const MIN_NAME_NEEDLE = 4;

const needlesOf = (user: User): string[] =>
  [user.emailNormalized, user.email, ...(user.name && user.name.length >= MIN_NAME_NEEDLE ? [user.name] : [])].filter(
    (needle, index, all) => all.indexOf(needle) === index,
  );

/**
 * Erasure (GDPR Art. 17), used by the admin delete and by `DELETE /me`.
 * Refused with `last_owner` while the user is an organization's only owner.
 * In an order that can be re-run after a failure: sessions revoked (announced to
 * the revocation list) and the session object wiped; one-time tokens for the
 * user's id or email deleted; the email's lockout cleared; audit rows that
 * mention the user pseudonymised (the chain still verifies); OAuth grants,
 * consents and linked upstream identities deleted; invitations to
 * the user's email deleted, those they sent pseudonymised, and webhook
 * deliveries naming them deleted (erase-related-data.ts); the user row
 * deleted last, which cascades to TOTP factors, recovery codes, passkeys and
 * organization memberships. Then `user.deleted` names only the pseudonym and,
 * when the user erased themself, carries no IP or user agent. Its webhook
 * names the real user id instead (and nothing else about the user), so the
 * tenant can erase its own copies (Art. 17(2)); it never carries the
 * pseudonym, which would link the pseudonymised audit rows back to the id.
 */
export async function eraseUser(deps: CoreDeps, scope: TenantScope, userId: string, actor: Actor): Promise<{ pseudonym: string }> {
  const user = await getUser(deps, scope, userId);
  const tenantId = scope.tenant.id;
  await refuseLastOwner(deps, tenantId, userId);
  const sessions = deps.sessions.forUser(tenantId, userId);
  const revoked = await sessions.revokeAll("user_deleted", deps.clock.now(), revocationTarget(scope));
  await sessions.erase();
  await deps.storage.oneTimeTokens.deleteAllForSubjects(tenantId, [userId, user.emailNormalized]);
  await deps.rateLimiter.recordSuccess(await bucketKey(tenantId, "sign_in:account", user.emailNormalized));
  const pseudonym = deps.ids.newId("anon");
  const pseudonymisedEvents = await pseudonymiseAuditTrail(deps, tenantId, { ids: [userId], needles: needlesOf(user), pseudonym });
  await eraseRelatedData(deps, tenantId, user, pseudonym);
  await deps.storage.users.delete(tenantId, userId);
  const self = actor.type === "user" && actor.userId === userId;
  await recordAuditEvent(deps, self ? { ...scope, request: { ip: null, userAgent: null } } : scope, {
    type: "user.deleted",
    actor: self ? { ...actor, userId: pseudonym } : actor,
    subjectId: pseudonym,
    data: { revoked_sessions: revoked.length, pseudonymised_events: pseudonymisedEvents, self },
    webhookData: { subject_id: userId, actor: { type: actor.type, id: actorId(actor) }, self },
  });
  return { pseudonym };
}
