import type { PolicyCondition, PolicyRule } from "@plinto/contracts";
import { WEEKDAYS } from "@plinto/contracts";
import { grants } from "../organizations/roles";

/**
 * The policy decision point: a pure function of validated rules and one
 * request, no I/O (the caller resolves the subject's role and permissions).
 * Semantics follow XACML 3.0's deny-overrides combining algorithm (§C.2):
 * any applicable deny rule denies, else any applicable allow rule allows,
 * else deny by default.
 */
export type Scalar = string | number | boolean;

export interface PolicySubject {
  userId: string;
  organizationId?: string;
  /** The subject's role in `organizationId`; null when not a member. */
  role: string | null;
  permissions: readonly string[];
  attributes?: Readonly<Record<string, Scalar>>;
}

export interface PolicyResource {
  type: string;
  id?: string;
  ownerId?: string;
  organizationId?: string;
  attributes?: Readonly<Record<string, Scalar>>;
}

export interface PolicyRequest {
  subject: PolicySubject;
  /** `resource:action`. */
  action: string;
  resource: PolicyResource;
  /** ms since the epoch, from the injected clock; time windows are read in UTC. */
  now: number;
}

export interface PolicyReason {
  ruleId: string | null;
  effect: "allow" | "deny";
  message: string;
}

export interface PolicyDecision {
  allowed: boolean;
  reasons: PolicyReason[];
}

/**
 * Rules indexed by the actions they name, so a request looks only at
 * candidates (in rule order). `candidates` memoises the list per action
 * asked about (bounded); that cache never changes an answer.
 */
export interface CompiledPolicy {
  readonly byAction: ReadonlyMap<string, readonly number[]>;
  readonly rules: readonly PolicyRule[];
  readonly candidates: Map<string, readonly PolicyRule[]>;
}

const MAX_CACHED_ACTIONS = 1_024;

export function compilePolicy(rules: readonly PolicyRule[]): CompiledPolicy {
  const byAction = new Map<string, number[]>();
  rules.forEach((rule, index) => {
    for (const action of rule.actions) {
      const list = byAction.get(action) ?? [];
      if (list.at(-1) !== index) list.push(index);
      byAction.set(action, list);
    }
  });
  return { byAction, rules, candidates: new Map() };
}

function candidates(policy: CompiledPolicy, action: string): readonly PolicyRule[] {
  const cached = policy.candidates.get(action);
  if (cached) return cached;
  const resource = action.slice(0, action.indexOf(":"));
  const found = new Set<number>();
  for (const key of [action, `${resource}:*`, "*"]) for (const index of policy.byAction.get(key) ?? []) found.add(index);
  const list = [...found].sort((a, b) => a - b).flatMap((index) => policy.rules[index] ?? []);
  if (policy.candidates.size < MAX_CACHED_ACTIONS) policy.candidates.set(action, list);
  return list;
}

const minutesOf = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

function inWindow(condition: Extract<PolicyCondition, { type: "time_window" }>, now: number): boolean {
  const date = new Date(now);
  if (condition.days && !condition.days.includes(WEEKDAYS[date.getUTCDay()] ?? "sun")) return false;
  const minute = date.getUTCHours() * 60 + date.getUTCMinutes();
  const start = minutesOf(condition.start);
  const end = minutesOf(condition.end);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

function holds(condition: PolicyCondition, request: PolicyRequest): boolean {
  const { subject, resource } = request;
  switch (condition.type) {
    case "same_org":
      return subject.organizationId !== undefined && subject.role !== null && subject.organizationId === resource.organizationId;
    case "resource_owner":
      return resource.ownerId !== undefined && resource.ownerId === subject.userId;
    case "has_permission":
      return grants(subject.permissions, condition.permission ?? request.action);
    case "time_window":
      return inWindow(condition, request.now);
    case "attribute_equals": {
      const actual = resource.attributes?.[condition.resource_attribute];
      const expected = condition.subject_attribute !== undefined ? subject.attributes?.[condition.subject_attribute] : condition.value;
      return actual !== undefined && expected !== undefined && actual === expected;
    }
  }
}

function applies(rule: PolicyRule, request: PolicyRequest): boolean {
  if (rule.roles && (request.subject.role === null || !rule.roles.includes(request.subject.role))) return false;
  return rule.conditions.every((condition) => holds(condition, request));
}

export function evaluate(policy: CompiledPolicy, request: PolicyRequest): PolicyDecision {
  const applicable: PolicyRule[] = [];
  for (const rule of candidates(policy, request.action)) if (applies(rule, request)) applicable.push(rule);
  const denied = applicable.some((rule) => rule.effect === "deny");
  if (applicable.length === 0) {
    return {
      allowed: false,
      reasons: [{ ruleId: null, effect: "deny", message: `no rule allows ${request.action}; deny by default` }],
    };
  }
  return {
    allowed: !denied,
    reasons: applicable.map((rule) => ({
      ruleId: rule.id,
      effect: rule.effect,
      message:
        rule.effect === "deny"
          ? `rule ${rule.id} denies ${request.action}${rule.description ? `: ${rule.description}` : ""}`
          : `rule ${rule.id} allows ${request.action}${denied ? " (overridden by a deny rule)" : ""}${rule.description ? `: ${rule.description}` : ""}`,
    })),
  };
}

/** One-off evaluation; callers that decide often keep the compiled policy. */
export const evaluatePolicy = (rules: readonly PolicyRule[], request: PolicyRequest): PolicyDecision =>
  evaluate(compilePolicy(rules), request);
