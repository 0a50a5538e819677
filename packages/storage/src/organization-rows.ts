import { policyRulesSchema } from "@plinto/contracts";
import type { CustomRole, Invitation, Organization, PolicySet } from "@plinto/core";
import type { organizationInvitations, organizationRoles, organizations, policySets } from "@plinto/schema/sqlite";

/** Row <-> domain mapping of the organization tables, shared by both backends (see rows.ts). */
export const organizationFromRow = (row: typeof organizations.$inferSelect): Organization => ({
  ...row,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
});
export const organizationToRow = (organization: Organization): typeof organizations.$inferInsert => ({
  ...organization,
  metadata: JSON.stringify(organization.metadata),
});

export const invitationFromRow = (row: typeof organizationInvitations.$inferSelect): Invitation => row;

export const customRoleFromRow = (row: typeof organizationRoles.$inferSelect): CustomRole => ({
  ...row,
  permissions: JSON.parse(row.permissions) as string[],
});
export const customRoleToRow = (role: CustomRole): typeof organizationRoles.$inferInsert => ({
  ...role,
  permissions: JSON.stringify(role.permissions),
});

/** Stored rules were validated on save; parsing again fills defaults and keeps the evaluator's input typed. */
export const policySetFromRow = (row: typeof policySets.$inferSelect): PolicySet => ({
  tenantId: row.tenantId,
  rules: policyRulesSchema.parse(JSON.parse(row.rules)),
  updatedAt: row.updatedAt,
});
