import { BUILT_IN_ROLES } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { CustomRole } from "../ports/organization-repositories";
import { BUILT_IN_PERMISSIONS, isBuiltInRole } from "./roles";

export interface RoleView extends Omit<CustomRole, "tenantId" | "createdAt" | "updatedAt"> {
  builtIn: boolean;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface RoleInput {
  name: string;
  description?: string | null;
  permissions: string[];
}

const builtInRoles = (): RoleView[] =>
  BUILT_IN_ROLES.map((key) => ({
    key,
    name: key[0]?.toUpperCase() + key.slice(1),
    description: null,
    permissions: [...BUILT_IN_PERMISSIONS[key]],
    builtIn: true,
    createdAt: null,
    updatedAt: null,
  }));

const view = (role: CustomRole): RoleView => ({ ...role, builtIn: false });
const unique = (permissions: string[]): string[] => [...new Set(permissions)].sort();
const notFound = () => new PlintoError("not_found", { detail: "no custom role with this key" });

/** Built-in roles first (they cannot change), then the tenant's custom roles. */
export async function listRoles(deps: CoreDeps, scope: TenantScope): Promise<RoleView[]> {
  return [...builtInRoles(), ...(await deps.storage.customRoles.list(scope.tenant.id)).map(view)];
}

export async function createRole(deps: CoreDeps, scope: TenantScope, actor: Actor, key: string, input: RoleInput): Promise<RoleView> {
  if (isBuiltInRole(key)) {
    throw new PlintoError("validation_failed", { errors: [{ path: "key", message: `${key} is a built-in role`, code: "reserved_role" }] });
  }
  const now = deps.clock.now();
  const role: CustomRole = {
    tenantId: scope.tenant.id,
    key,
    name: input.name,
    description: input.description ?? null,
    permissions: unique(input.permissions),
    createdAt: now,
    updatedAt: now,
  };
  await deps.storage.customRoles.create(role);
  await recordAuditEvent(deps, scope, { type: "role.created", actor, subjectId: key, data: { permissions: role.permissions } });
  return view(role);
}

export async function updateRole(deps: CoreDeps, scope: TenantScope, actor: Actor, key: string, input: RoleInput): Promise<RoleView> {
  if (isBuiltInRole(key)) throw new PlintoError("forbidden", { detail: "built-in roles cannot be changed" });
  const updated = await deps.storage.customRoles.update(scope.tenant.id, key, {
    name: input.name,
    description: input.description ?? null,
    permissions: unique(input.permissions),
    updatedAt: deps.clock.now(),
  });
  if (!updated) throw notFound();
  await recordAuditEvent(deps, scope, { type: "role.updated", actor, subjectId: key, data: { permissions: updated.permissions } });
  return view(updated);
}

/** A role still held by members stays (409 `role_in_use`): move them to another role first. */
export async function deleteRole(deps: CoreDeps, scope: TenantScope, actor: Actor, key: string): Promise<void> {
  if (isBuiltInRole(key)) throw new PlintoError("forbidden", { detail: "built-in roles cannot be deleted" });
  const holders = await deps.storage.memberships.countWithRole(scope.tenant.id, key);
  if (holders > 0) throw new PlintoError("role_in_use", { detail: `${holders} membership(s) hold ${key}` });
  if (!(await deps.storage.customRoles.delete(scope.tenant.id, key))) throw notFound();
  await recordAuditEvent(deps, scope, { type: "role.deleted", actor, subjectId: key });
}
