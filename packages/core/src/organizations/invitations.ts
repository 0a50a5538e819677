import { recordAuditEvent } from "../audit/record-audit-event";
import { sha256 } from "../crypto/secrets";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { emailLink, resolveLinkBase } from "../email/links";
import { sendEmail } from "../email/send-email";
import { PlintoError } from "../errors";
import { normalizeEmail } from "../identities/email";
import type { User } from "../model";
import { issueToken, redeemToken } from "../one-time/one-time-secrets";
import type { Invitation, Membership } from "../ports/organization-repositories";
import { requireOrgPermission } from "./org-access";
import { assertRoleExists, grants, ORG_PERMISSIONS, permissionsOfRole } from "./roles";

const PURPOSE = "organization_invitation";
const invalid = (detail: string) => new PlintoError("invalid_invitation", { detail });

export interface InviteInput {
  email: string;
  role: string;
  redirectUrl?: string;
}

/**
 * Invites an address: an invitation row plus a single-use link token (only
 * its digest is stored) that lives settings.organizations.invitation_ttl_seconds,
 * mailed with the `organization_invitation` template. If the mail cannot be
 * sent, both are removed again and the caller sees 503 `mail_unavailable`.
 */
export async function inviteMember(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  organizationId: string,
  input: InviteInput,
): Promise<Invitation> {
  const tenantId = scope.tenant.id;
  const access = await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.manageInvitations);
  await assertRoleExists(deps, tenantId, input.role);
  if (input.role === "owner" && access.membership) {
    const mine = (await permissionsOfRole(deps, tenantId, access.membership.role)) ?? [];
    if (!grants(mine, ORG_PERMISSIONS.transfer)) throw new PlintoError("forbidden", { detail: "only an owner may invite owners" });
  }
  const emailNormalized = normalizeEmail(input.email);
  const existing = await deps.storage.users.getByEmail(tenantId, emailNormalized);
  if (existing && (await deps.storage.memberships.get(tenantId, organizationId, existing.id))) throw new PlintoError("already_member");
  const linkBase = resolveLinkBase(scope, input.redirectUrl);
  const ttlSeconds = scope.tenant.settings.organizations.invitation_ttl_seconds;
  const id = deps.ids.newId("inv");
  const { token, expiresAt } = await issueToken(deps, scope, { purpose: PURPOSE, subject: emailNormalized, data: { invitation_id: id }, ttlMs: ttlSeconds * 1000 });
  const invitation: Invitation = {
    id,
    tenantId,
    organizationId,
    email: input.email.trim(),
    emailNormalized,
    role: input.role,
    invitedBy: actor.type === "user" ? actor.userId : null,
    tokenHash: await sha256(token),
    status: "pending",
    createdAt: deps.clock.now(),
    expiresAt,
    respondedAt: null,
  };
  await deps.storage.invitations.insert(invitation);
  const inviter = actor.type === "user" ? ((await deps.storage.users.getById(tenantId, actor.userId))?.email ?? scope.tenant.name) : scope.tenant.name;
  try {
    await sendEmail(deps, scope, "organization_invitation", invitation.email, {
      link: emailLink(linkBase, token, PURPOSE),
      token,
      organization_name: access.organization.name,
      inviter,
      role: input.role,
      expires_in_days: Math.round(ttlSeconds / 86_400),
    });
  } catch (error) {
    await deps.storage.oneTimeTokens.consume(tenantId, PURPOSE, invitation.tokenHash, deps.clock.now());
    await deps.storage.invitations.delete(tenantId, id);
    throw error;
  }
  await recordAuditEvent(deps, scope, {
    type: "invitation.created",
    actor,
    subjectId: organizationId,
    data: { invitation_id: id, email: invitation.email, role: input.role },
  });
  return invitation;
}

export async function listInvitations(deps: CoreDeps, scope: TenantScope, actor: Actor, organizationId: string): Promise<Invitation[]> {
  await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.manageInvitations);
  return deps.storage.invitations.listPending(scope.tenant.id, organizationId, deps.clock.now());
}

/**
 * Revokes a pending invitation. The link token is the single-use arbiter:
 * revoke consumes it just as accept does, so of a racing accept and revoke
 * exactly one wins.
 */
export async function revokeInvitation(deps: CoreDeps, scope: TenantScope, actor: Actor, organizationId: string, id: string): Promise<void> {
  await requireOrgPermission(deps, scope, actor, organizationId, ORG_PERMISSIONS.manageInvitations);
  const invitation = await deps.storage.invitations.get(scope.tenant.id, id);
  if (!invitation || invitation.organizationId !== organizationId) throw new PlintoError("not_found", { detail: "no invitation with this id" });
  const now = deps.clock.now();
  const consumed = await deps.storage.oneTimeTokens.consume(scope.tenant.id, PURPOSE, invitation.tokenHash, now);
  if (!consumed || !(await deps.storage.invitations.revoke(scope.tenant.id, id, now))) {
    throw invalid("only a pending, unexpired invitation can be revoked");
  }
  await recordAuditEvent(deps, scope, {
    type: "invitation.revoked",
    actor,
    subjectId: organizationId,
    data: { invitation_id: id, email: invitation.email },
  });
}

/**
 * Accepts an invitation for the signed-in user, whose verified email must be
 * the invited address (a new user signs up with it and verifies it first).
 * Checks that cost nothing run before the token is consumed, so a wrong
 * account does not burn the invitation; the membership and the invitation's
 * new status are written in one transaction.
 */
export async function acceptInvitation(deps: CoreDeps, scope: TenantScope, user: User, actor: Actor, token: string): Promise<Membership> {
  const tenantId = scope.tenant.id;
  const now = deps.clock.now();
  const invitation = await deps.storage.invitations.getByTokenHash(tenantId, await sha256(token));
  if (!invitation || invitation.status !== "pending" || invitation.expiresAt <= now) throw invalid("this invitation cannot be used");
  if (invitation.emailNormalized !== user.emailNormalized) throw new PlintoError("invitation_email_mismatch");
  if (!user.emailVerified) throw new PlintoError("email_not_verified", { detail: "verify your email address, then accept the invitation" });
  if (await deps.storage.memberships.get(tenantId, invitation.organizationId, user.id)) throw new PlintoError("already_member");
  if ((await permissionsOfRole(deps, tenantId, invitation.role)) === null) throw invalid("the invited role no longer exists");
  if (!(await redeemToken(deps, scope, PURPOSE, token))) throw invalid("this invitation cannot be used");
  const membership: Membership = { tenantId, organizationId: invitation.organizationId, userId: user.id, role: invitation.role, createdAt: now, updatedAt: now };
  await deps.storage.invitations.accept(tenantId, invitation.id, membership);
  await recordAuditEvent(deps, scope, {
    type: "invitation.accepted",
    actor,
    subjectId: invitation.organizationId,
    data: { invitation_id: invitation.id, user_id: user.id },
  });
  await recordAuditEvent(deps, scope, {
    type: "membership.created",
    actor,
    subjectId: user.id,
    data: { organization_id: invitation.organizationId, role: invitation.role, via: "invitation", invitation_id: invitation.id },
  });
  return membership;
}
