import type { PolicyRule } from "@plinto/contracts";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { type FieldError, PlintoError } from "../errors";
import { permissionsOfRole } from "../organizations/roles";
import { compilePolicy, evaluate, type PolicyDecision, type PolicyResource, type Scalar } from "./evaluate";

export async function getPolicies(deps: CoreDeps, scope: TenantScope): Promise<{ rules: PolicyRule[]; updatedAt: number | null }> {
  const set = await deps.storage.policies.get(scope.tenant.id);
  return { rules: set?.rules ?? [], updatedAt: set?.updatedAt ?? null };
}

/**
 * Replaces the tenant's rules. Their shape was validated by the route
 * (policyRulesSchema); here every role they name must exist, reported as
 * field errors such as `rules.2.roles.0`.
 */
export async function putPolicies(deps: CoreDeps, scope: TenantScope, actor: Actor, rules: PolicyRule[]): Promise<{ rules: PolicyRule[]; updatedAt: number }> {
  const roles = [...new Set(rules.flatMap((rule) => rule.roles ?? []))];
  const known = new Map(await Promise.all(roles.map(async (role) => [role, (await permissionsOfRole(deps, scope.tenant.id, role)) !== null] as const)));
  const errors: FieldError[] = rules.flatMap((rule, index) =>
    (rule.roles ?? []).flatMap((role, at) =>
      known.get(role) ? [] : [{ path: `rules.${index}.roles.${at}`, message: `unknown role ${role}`, code: "unknown_role" }],
    ),
  );
  if (errors.length > 0) throw new PlintoError("validation_failed", { errors });
  const updatedAt = deps.clock.now();
  await deps.storage.policies.put({ tenantId: scope.tenant.id, rules, updatedAt });
  await recordAuditEvent(deps, scope, {
    type: "policy.updated",
    actor,
    data: { rule_count: rules.length, rule_ids: rules.map((rule) => rule.id) },
  });
  return { rules, updatedAt };
}

export interface EvaluateInput {
  subject: { userId: string; organizationId?: string; attributes?: Record<string, Scalar> };
  action: string;
  resource: PolicyResource;
}

/**
 * Answers "may this subject do `action` on `resource`": resolves the
 * subject's role and permissions in the named organization (none when not a
 * member), then runs the pure evaluator on the tenant's rules. A user may ask
 * only about themselves; a secret key about anyone of the tenant.
 */
export async function decidePolicy(deps: CoreDeps, scope: TenantScope, actor: Actor, input: EvaluateInput): Promise<PolicyDecision> {
  if (actor.type === "user" && actor.userId !== input.subject.userId) {
    throw new PlintoError("forbidden", { detail: "a user may evaluate policies only for themselves" });
  }
  const tenantId = scope.tenant.id;
  const { organizationId } = input.subject;
  const [set, membership] = await Promise.all([
    deps.storage.policies.get(tenantId),
    organizationId ? deps.storage.memberships.get(tenantId, organizationId, input.subject.userId) : Promise.resolve(null),
  ]);
  const permissions = membership ? ((await permissionsOfRole(deps, tenantId, membership.role)) ?? []) : [];
  return evaluate(compilePolicy(set?.rules ?? []), {
    subject: { ...input.subject, role: membership?.role ?? null, permissions },
    action: input.action,
    resource: input.resource,
    now: deps.clock.now(),
  });
}
