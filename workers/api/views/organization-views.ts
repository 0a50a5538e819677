import type { Invitation, Membership, Organization, PolicyDecision, RoleView } from "@plinto/core";

/** Wire views of organizations, members, invitations, roles and decisions. The invitation's token digest never appears. */
const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const organizationView = (organization: Organization, role?: string) => ({
  id: organization.id,
  name: organization.name,
  slug: organization.slug,
  metadata: organization.metadata,
  ...(role === undefined ? {} : { role }),
  created_at: iso(organization.createdAt),
  updated_at: iso(organization.updatedAt),
});

export const memberView = (member: Membership & { email: string; name: string | null }) => ({
  user_id: member.userId,
  email: member.email,
  name: member.name,
  role: member.role,
  created_at: iso(member.createdAt),
  updated_at: iso(member.updatedAt),
});

export const invitationView = (invitation: Invitation) => ({
  id: invitation.id,
  organization_id: invitation.organizationId,
  email: invitation.email,
  role: invitation.role,
  status: invitation.status,
  invited_by: invitation.invitedBy,
  created_at: iso(invitation.createdAt),
  expires_at: iso(invitation.expiresAt),
});

export const roleView = (role: RoleView) => ({
  key: role.key,
  name: role.name,
  description: role.description,
  permissions: role.permissions,
  built_in: role.builtIn,
  created_at: isoOrNull(role.createdAt),
  updated_at: isoOrNull(role.updatedAt),
});

export const decisionView = (decision: PolicyDecision) => ({
  decision: decision.allowed ? ("allow" as const) : ("deny" as const),
  allowed: decision.allowed,
  reasons: decision.reasons.map((reason) => ({ rule_id: reason.ruleId, effect: reason.effect, message: reason.message })),
});
