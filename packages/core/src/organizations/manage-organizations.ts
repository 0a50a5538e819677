import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { Organization } from "../ports/organization-repositories";
import type { Page } from "../ports/repositories";
import { requireOrgPermission } from "./org-access";
import { ORG_PERMISSIONS } from "./roles";

export interface OrganizationInput {
  name: string;
  slug?: string;
  metadata?: Record<string, unknown>;
}

/** `Acme Inc.` -> `acme-inc`; at least 3 characters, at most 40. */
export function slugFromName(name: string): string {
  const base = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 32)
    .replace(/-+$/, "");
  return base.length >= 3 ? base : `org-${base || "new"}`.replace(/-$/, "");
}

const randomSuffix = (): string => crypto.getRandomValues(new Uint32Array(1))[0]?.toString(36).slice(0, 6) ?? "x";

/**
 * Creates an organization whose first owner is `ownerId` (the creator on the
 * user API; any user of the tenant on the admin API). A slug derived from the
 * name gets a random suffix when taken; a slug given and taken is a 409.
 */
export async function createOrganization(
  deps: CoreDeps,
  scope: TenantScope,
  input: OrganizationInput,
  ownerId: string,
  actor: Actor,
): Promise<Organization> {
  const owner = await deps.storage.users.getById(scope.tenant.id, ownerId);
  if (!owner) throw new PlintoError("not_found", { detail: "no user with this id" });
  const now = deps.clock.now();
  const build = (slug: string): Organization => ({
    id: deps.ids.newId("org"),
    tenantId: scope.tenant.id,
    name: input.name,
    slug,
    metadata: input.metadata ?? {},
    createdAt: now,
    updatedAt: now,
  });
  const insert = async (organization: Organization) => {
    const membership = { tenantId: scope.tenant.id, organizationId: organization.id, userId: ownerId, role: "owner", createdAt: now, updatedAt: now };
    await deps.storage.organizations.create(organization, membership);
    return organization;
  };
  const derived = slugFromName(input.name);
  const organization = input.slug
    ? await insert(build(input.slug))
    : await insert(build(derived)).catch((error: unknown) => {
        if (error instanceof PlintoError && error.code === "organization_slug_taken") return insert(build(`${derived}-${randomSuffix()}`));
        throw error;
      });
  await recordAuditEvent(deps, scope, {
    type: "organization.created",
    actor,
    subjectId: organization.id,
    data: { name: organization.name, slug: organization.slug, owner_id: ownerId },
  });
  return organization;
}

export async function getOrganization(deps: CoreDeps, scope: TenantScope, actor: Actor, id: string) {
  return requireOrgPermission(deps, scope, actor, id, ORG_PERMISSIONS.read);
}

export async function updateOrganization(
  deps: CoreDeps,
  scope: TenantScope,
  actor: Actor,
  id: string,
  patch: Partial<OrganizationInput>,
): Promise<Organization> {
  await requireOrgPermission(deps, scope, actor, id, ORG_PERMISSIONS.update);
  const updated = await deps.storage.organizations.update(scope.tenant.id, id, { ...patch, updatedAt: deps.clock.now() });
  if (!updated) throw new PlintoError("not_found", { detail: "no organization with this id" });
  await recordAuditEvent(deps, scope, {
    type: "organization.updated",
    actor,
    subjectId: id,
    data: { fields: Object.keys(patch).sort() },
  });
  return updated;
}

/** Deletes the organization, its members and invitations. Tokens naming it lose the claim at their next refresh. */
export async function deleteOrganization(deps: CoreDeps, scope: TenantScope, actor: Actor, id: string): Promise<void> {
  const { organization } = await requireOrgPermission(deps, scope, actor, id, ORG_PERMISSIONS.delete);
  if (!(await deps.storage.organizations.delete(scope.tenant.id, id))) {
    throw new PlintoError("not_found", { detail: "no organization with this id" });
  }
  await recordAuditEvent(deps, scope, {
    type: "organization.deleted",
    actor,
    subjectId: id,
    data: { name: organization.name, slug: organization.slug },
  });
}

export async function listMyOrganizations(deps: CoreDeps, scope: TenantScope, userId: string) {
  return deps.storage.organizations.listForUser(scope.tenant.id, userId);
}

export async function listOrganizations(
  deps: CoreDeps,
  scope: TenantScope,
  page: { afterId: string | null; limit: number },
): Promise<Page<Organization>> {
  return deps.storage.organizations.list({ tenantId: scope.tenant.id, ...page });
}
