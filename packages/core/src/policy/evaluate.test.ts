import { type PolicyRule, policyRulesSchema } from "@plinto/contracts";
import { describe, expect, it } from "vitest";
import { compilePolicy, evaluate, evaluatePolicy, type PolicyRequest } from "./evaluate";

const MONDAY_10 = Date.UTC(2026, 0, 5, 10, 0); // 2026-01-05 is a Monday
const rules = (input: unknown[]): PolicyRule[] => policyRulesSchema.parse(input);

const request = (overrides: Partial<PolicyRequest> = {}): PolicyRequest => ({
  subject: { userId: "u1", organizationId: "org_a", role: "member", permissions: ["organization:read"] },
  action: "documents:edit",
  resource: { type: "document", id: "d1", ownerId: "u1", organizationId: "org_a" },
  now: MONDAY_10,
  ...overrides,
});

describe("policy evaluator", () => {
  it("denies by default and says no rule matched", () => {
    expect(evaluatePolicy([], request())).toEqual({
      allowed: false,
      reasons: [{ ruleId: null, effect: "deny", message: "no rule allows documents:edit; deny by default" }],
    });
  });

  it("allows through a role grant and names the rule; other roles and actions stay denied", () => {
    const policy = compilePolicy(rules([{ id: "editors", effect: "allow", actions: ["documents:edit"], roles: ["admin", "member"] }]));
    expect(evaluate(policy, request())).toMatchObject({ allowed: true, reasons: [{ ruleId: "editors", effect: "allow" }] });
    expect(evaluate(policy, request({ subject: { userId: "u1", role: "viewer", permissions: [] } })).allowed).toBe(false);
    expect(evaluate(policy, request({ action: "documents:delete" })).allowed).toBe(false);
  });

  it("matches resource:* and * action patterns", () => {
    const policy = compilePolicy(rules([{ id: "all-docs", effect: "allow", actions: ["documents:*"] }, { id: "any", effect: "allow", actions: ["*"], roles: ["owner"] }]));
    expect(evaluate(policy, request({ action: "documents:share" })).reasons.map((r) => r.ruleId)).toEqual(["all-docs"]);
    const owner = request({ action: "billing:pay", subject: { userId: "u1", role: "owner", permissions: [] } });
    expect(evaluate(policy, owner).reasons.map((r) => r.ruleId)).toEqual(["any"]);
  });

  it("deny overrides allow (XACML deny-overrides), with both reasons listed", () => {
    const policy = compilePolicy(
      rules([
        { id: "members-edit", effect: "allow", actions: ["documents:edit"], roles: ["member"] },
        { id: "locked", effect: "deny", actions: ["documents:edit"], conditions: [{ type: "attribute_equals", resource_attribute: "locked", value: true }] },
      ]),
    );
    expect(evaluate(policy, request()).allowed).toBe(true);
    const locked = evaluate(policy, request({ resource: { type: "document", attributes: { locked: true } } }));
    expect(locked.allowed).toBe(false);
    expect(locked.reasons.map((r) => [r.ruleId, r.effect])).toEqual([
      ["members-edit", "allow"],
      ["locked", "deny"],
    ]);
    expect(locked.reasons[0]?.message).toContain("overridden");
  });

  it("same_org needs a member of the resource's organization", () => {
    const policy = compilePolicy(rules([{ id: "same-org", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "same_org" }] }]));
    expect(evaluate(policy, request()).allowed).toBe(true);
    expect(evaluate(policy, request({ resource: { type: "document", organizationId: "org_b" } })).allowed).toBe(false);
    expect(evaluate(policy, request({ subject: { userId: "u1", organizationId: "org_a", role: null, permissions: [] } })).allowed).toBe(false);
  });

  it("resource_owner compares owner_id with the subject", () => {
    const policy = compilePolicy(rules([{ id: "own", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "resource_owner" }] }]));
    expect(evaluate(policy, request()).allowed).toBe(true);
    expect(evaluate(policy, request({ resource: { type: "document", ownerId: "u2" } })).allowed).toBe(false);
    expect(evaluate(policy, request({ resource: { type: "document" } })).allowed).toBe(false);
  });

  it("time_window is read in UTC, with days, end exclusive, and windows across midnight", () => {
    const office = compilePolicy(rules([{ id: "office", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "time_window", start: "09:00", end: "17:00", days: ["mon", "tue", "wed", "thu", "fri"] }] }]));
    expect(evaluate(office, request()).allowed).toBe(true);
    expect(evaluate(office, request({ now: Date.UTC(2026, 0, 5, 17, 0) })).allowed).toBe(false);
    expect(evaluate(office, request({ now: Date.UTC(2026, 0, 4, 10, 0) })).allowed).toBe(false); // Sunday
    const night = compilePolicy(rules([{ id: "night", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "time_window", start: "22:00", end: "06:00" }] }]));
    expect(evaluate(night, request({ now: Date.UTC(2026, 0, 5, 23, 30) })).allowed).toBe(true);
    expect(evaluate(night, request({ now: Date.UTC(2026, 0, 5, 5, 59) })).allowed).toBe(true);
    expect(evaluate(night, request()).allowed).toBe(false);
  });

  it("has_permission uses the role's permissions (with resource:* wildcards); attribute_equals compares subject and resource", () => {
    const policy = compilePolicy(
      rules([
        { id: "perm", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "has_permission" }] },
        { id: "dept", effect: "allow", actions: ["reports:read"], conditions: [{ type: "attribute_equals", resource_attribute: "department", subject_attribute: "department" }] },
      ]),
    );
    expect(evaluate(policy, request()).allowed).toBe(false);
    expect(evaluate(policy, request({ subject: { userId: "u1", role: "x", permissions: ["documents:*"] } })).allowed).toBe(true);
    const reader = { userId: "u1", role: null, permissions: [], attributes: { department: "sales" } };
    expect(evaluate(policy, request({ action: "reports:read", subject: reader, resource: { type: "report", attributes: { department: "sales" } } })).allowed).toBe(true);
    expect(evaluate(policy, request({ action: "reports:read", subject: reader, resource: { type: "report", attributes: { department: "hr" } } })).allowed).toBe(false);
  });

  it("rules are validated: bad actions, times, duplicate ids and half-specified attribute conditions name their field", () => {
    const result = policyRulesSchema.safeParse([
      { id: "a", effect: "allow", actions: ["edit"] },
      { id: "a", effect: "maybe", actions: ["documents:edit"], conditions: [{ type: "time_window", start: "25:00", end: "06:00" }] },
      { id: "c", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "attribute_equals", resource_attribute: "x" }] },
    ]);
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => issue.path.join(".")).sort();
    expect(paths).toEqual(["0.actions.0", "1.conditions.0.start", "1.effect"]);
    const second = policyRulesSchema.safeParse([
      { id: "a", effect: "allow", actions: ["documents:edit"] },
      { id: "a", effect: "allow", actions: ["documents:edit"], conditions: [{ type: "attribute_equals", resource_attribute: "x" }] },
    ]);
    expect(second.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["1.conditions.0", "1.id"]);
  });
});
