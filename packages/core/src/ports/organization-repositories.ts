import type { PolicyRule } from "@plinto/contracts";
import type { Page } from "./repositories";

/** Organizations, their members, invitations, custom roles and policy rules (issue 6). Times are ms since the epoch. */
export interface Organization {
  id: string;
  tenantId: string;
  name: string;
  slug: string;
  metadata: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export interface Membership {
  tenantId: string;
  organizationId: string;
  userId: string;
  /** A built-in role (`owner`, `admin`, `member`, `viewer`) or a custom role key. */
  role: string;
  createdAt: number;
  updatedAt: number;
}

export type InvitationStatus = "pending" | "accepted" | "revoked";

export interface Invitation {
  id: string;
  tenantId: string;
  organizationId: string;
  email: string;
  emailNormalized: string;
  role: string;
  invitedBy: string | null;
  /** Digest of the link token: the id of its one-time-token row. */
  tokenHash: string;
  status: InvitationStatus;
  createdAt: number;
  expiresAt: number;
  respondedAt: number | null;
}

export interface CustomRole {
  tenantId: string;
  key: string;
  name: string;
  description: string | null;
  permissions: string[];
  createdAt: number;
  updatedAt: number;
}

export interface PolicySet {
  tenantId: string;
  rules: PolicyRule[];
  updatedAt: number;
}

export type OrganizationPatch = Partial<Pick<Organization, "name" | "slug" | "metadata">> & { updatedAt: number };

export interface OrganizationRepository {
  /** Inserts the organization and its first owner together; `organization_slug_taken` on a clash. */
  create(organization: Organization, owner: Membership): Promise<void>;
  get(tenantId: string, id: string): Promise<Organization | null>;
  /** Null when missing; `organization_slug_taken` on a clash. */
  update(tenantId: string, id: string, patch: OrganizationPatch): Promise<Organization | null>;
  /** Deletes the organization with its members and invitations. */
  delete(tenantId: string, id: string): Promise<boolean>;
  /** Organizations `userId` belongs to, with the role held and when they joined, oldest first. */
  listForUser(tenantId: string, userId: string): Promise<{ organization: Organization; role: string; joinedAt: number }[]>;
  /** Every organization of the tenant, newest first. */
  list(query: { tenantId: string; afterId: string | null; limit: number }): Promise<Page<Organization>>;
}

/** Why a membership change was refused: the only owner may not go or stop being owner. */
export type MembershipChange = "done" | "not_found" | "last_owner";

export interface MembershipRepository {
  get(tenantId: string, organizationId: string, userId: string): Promise<Membership | null>;
  /** Members with their user's email and name, oldest first. */
  list(tenantId: string, organizationId: string): Promise<(Membership & { email: string; name: string | null })[]>;
  /** `already_member` when the user is one. */
  add(membership: Membership): Promise<void>;
  /** Sets the role, unless that would leave the organization without an owner (checked in the same statement). */
  changeRole(tenantId: string, organizationId: string, userId: string, role: string, at: number): Promise<MembershipChange>;
  /** Removes the member, unless it is the last owner (checked in the same statement). */
  remove(tenantId: string, organizationId: string, userId: string): Promise<MembershipChange>;
  /** In one transaction: `toUserId` (a member) becomes owner and `fromUserId` (an owner) becomes admin. False when either is not. */
  transferOwnership(tenantId: string, organizationId: string, fromUserId: string, toUserId: string, at: number): Promise<boolean>;
  /** How many memberships of the tenant hold `role`. */
  countWithRole(tenantId: string, role: string): Promise<number>;
  /** Ids of the organizations whose only owner is `userId` (erasure refuses to leave them ownerless). */
  soleOwnerOf(tenantId: string, userId: string): Promise<string[]>;
}

export interface InvitationRepository {
  insert(invitation: Invitation): Promise<void>;
  get(tenantId: string, id: string): Promise<Invitation | null>;
  getByTokenHash(tenantId: string, tokenHash: string): Promise<Invitation | null>;
  /** Pending and unexpired, newest first. */
  listPending(tenantId: string, organizationId: string, now: number): Promise<Invitation[]>;
  /** Accepted together with the new membership (one transaction); `already_member` writes neither. */
  accept(tenantId: string, id: string, membership: Membership): Promise<void>;
  /** Pending -> revoked; false when it was not pending. */
  revoke(tenantId: string, id: string, at: number): Promise<boolean>;
  delete(tenantId: string, id: string): Promise<void>;
  /** Pending, unexpired invitations addressed to the email, with their organization's name, newest first (export). */
  listPendingForEmail(tenantId: string, emailNormalized: string, now: number): Promise<(Invitation & { organizationName: string })[]>;
  /**
   * Erasure, in one transaction: deletes every invitation addressed to the
   * email (any status) and puts `pseudonym` in `invited_by` where the user
   * invited someone. Returns how many rows were deleted and rewritten.
   */
  eraseForUser(tenantId: string, user: { id: string; emailNormalized: string }, pseudonym: string): Promise<{ deleted: number; pseudonymised: number }>;
}

export interface CustomRoleRepository {
  list(tenantId: string): Promise<CustomRole[]>;
  get(tenantId: string, key: string): Promise<CustomRole | null>;
  /** `conflict` when the key exists. */
  create(role: CustomRole): Promise<void>;
  update(tenantId: string, key: string, patch: Pick<CustomRole, "name" | "description" | "permissions" | "updatedAt">): Promise<CustomRole | null>;
  delete(tenantId: string, key: string): Promise<boolean>;
}

export interface PolicyRepository {
  get(tenantId: string): Promise<PolicySet | null>;
  /** Replaces the tenant's rules. */
  put(set: PolicySet): Promise<void>;
}
