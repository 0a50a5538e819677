import { afterResponse } from "../after-response";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { CoreDeps, TenantScope } from "../deps";
import { sendVerificationEmail } from "../email/email-verification";
import { resolveLinkBase } from "../email/links";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import type { User } from "../model";
import type { LinkedIdentity, UpstreamConnection } from "../ports/oauth-repositories";
import { enforceRateLimit } from "../sessions/rate-limits";
import { newUser } from "../users/new-user";
import type { UpstreamProfile } from "./upstream-profile";

export interface ResolvedAccount {
  user: User;
  identity: LinkedIdentity;
  /** How the user was found: an existing link, a new link to an account with the same verified email, or a new account. */
  outcome: "linked_identity" | "linked_by_email" | "created";
}

const profileOf = (profile: UpstreamProfile): Record<string, unknown> => ({ ...profile.extra, ...(profile.name ? { name: profile.name } : {}) });

async function link(deps: CoreDeps, scope: TenantScope, connection: UpstreamConnection, user: User, profile: UpstreamProfile, via: string): Promise<LinkedIdentity> {
  const now = deps.clock.now();
  const identity: LinkedIdentity = {
    id: deps.ids.newId("lid"),
    tenantId: scope.tenant.id,
    userId: user.id,
    connectionId: connection.id,
    subject: profile.subject,
    email: profile.email,
    profile: profileOf(profile),
    createdAt: now,
    lastSignInAt: now,
  };
  await deps.storage.linkedIdentities.insert(identity);
  await recordAuditEvent(deps, scope, {
    type: "upstream.linked",
    actor: { type: "user", userId: user.id, sessionId: "", role: user.role },
    subjectId: user.id,
    data: { connection_id: connection.id, connection: connection.slug, linked_identity_id: identity.id, via },
  });
  return identity;
}

/**
 * Finds the Plinto user an upstream identity signs in as (issue 7: "account
 * linking by verified email only"):
 * 1. the user already linked to (connection, subject);
 * 2. else the user with the same email, linked now, only when the provider
 *    asserted the address verified AND the account's own address is verified
 *    (an unverified local account may have been registered by someone who
 *    does not own the address: pre-hijacking); otherwise 409;
 * 3. else a new user (emailVerified as the provider asserted; a verification
 *    link is mailed when it is not) and its link.
 */
export async function resolveUpstreamAccount(deps: CoreDeps, scope: TenantScope, connection: UpstreamConnection, profile: UpstreamProfile): Promise<ResolvedAccount> {
  const tenantId = scope.tenant.id;
  const existing = await deps.storage.linkedIdentities.getBySubject(tenantId, connection.id, profile.subject);
  const linkedUser = existing ? await deps.storage.users.getById(tenantId, existing.userId) : null;
  if (existing && linkedUser) {
    await deps.storage.linkedIdentities.touch(tenantId, existing.id, deps.clock.now(), profileOf(profile));
    return { user: linkedUser, identity: existing, outcome: "linked_identity" };
  }
  if (!profile.email) throw new PlintoError("upstream_email_missing");
  const sameEmail = await deps.storage.users.getByEmail(tenantId, normalizeEmail(profile.email));
  if (sameEmail) {
    if (!profile.emailVerified) throw new PlintoError("upstream_email_unverified");
    if (!sameEmail.emailVerified) throw new PlintoError("upstream_link_refused");
    return { user: sameEmail, identity: await link(deps, scope, connection, sameEmail, profile, "verified_email"), outcome: "linked_by_email" };
  }
  await enforceRateLimit(deps, scope, "sign_up:ip", scope.request.ip, {
    limit: scope.tenant.settings.rate_limits.sign_up_per_hour_per_ip,
    windowSeconds: 3_600,
  });
  const user = newUser(deps, scope, { email: profile.email, passwordHash: null, name: profile.name ?? undefined, emailVerified: profile.emailVerified });
  await deps.storage.users.create(user);
  await recordAuditEvent(deps, scope, {
    type: "user.created",
    actor: { type: "user", userId: user.id, sessionId: "", role: "user" },
    subjectId: user.id,
    data: { via: "upstream", connection_id: connection.id, connection: connection.slug },
  });
  // As after a password sign-up: an address the provider did not verify gets a verification link.
  if (!user.emailVerified && !deps.mailer.unavailable) {
    await afterResponse(scope, () => sendVerificationEmail(deps, scope, user, resolveLinkBase(scope, undefined)));
  }
  return { user, identity: await link(deps, scope, connection, user, profile, "new_user"), outcome: "created" };
}
