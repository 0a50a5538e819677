import { describe, expect, it } from "vitest";
import { expectProblem, json } from "./helpers";
import { addMember, auditTypes, orgWorld } from "./organization-helpers";

interface Decision {
  decision: "allow" | "deny";
  allowed: boolean;
  reasons: { rule_id: string | null; effect: string; message: string }[];
}

const RULES = [
  { id: "editors-edit", description: "editors edit their org's documents", effect: "allow", actions: ["documents:edit"], roles: ["admin", "member"], conditions: [{ type: "same_org" }] },
  { id: "owners-delete", effect: "allow", actions: ["documents:delete"], conditions: [{ type: "resource_owner" }] },
  { id: "office-hours", effect: "deny", actions: ["documents:*"], conditions: [{ type: "time_window", start: "22:00", end: "06:00" }] },
];

describe("POST /policies/evaluate", { timeout: 30_000 }, () => {
  it("rules are validated on save with field errors; unknown roles are refused; nothing is saved", async () => {
    const world = await orgWorld();
    const bad = await expectProblem(
      await world.admin("/policies", { method: "PUT", body: { rules: [{ id: "x", effect: "allow", actions: ["edit"], conditions: [{ type: "time_window", start: "9", end: "17:00" }] }] } }),
      400,
      "validation_failed",
    );
    const paths = (bad as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(["rules.0.actions.0", "rules.0.conditions.0.start"]);
    const unknown = await expectProblem(
      await world.admin("/policies", { method: "PUT", body: { rules: [{ id: "x", effect: "allow", actions: ["a:b"], roles: ["member", "wizard"] }] } }),
      400,
      "validation_failed",
    );
    expect((unknown as unknown as { errors: { path: string; code: string }[] }).errors).toEqual([
      { path: "rules.0.roles.1", message: "unknown role wizard", code: "unknown_role" },
    ]);
    expect(await json(await world.admin("/policies"))).toEqual({ rules: [], updated_at: null });
  });

  it("allows and denies with reasons: role + same org, resource owner, time window (injected clock), deny by default", async () => {
    const world = await orgWorld();
    const saved = await world.admin("/policies", { method: "PUT", body: { rules: RULES } });
    expect(saved.status).toBe(200);
    expect(await auditTypes(world)).toContain("policy.updated");
    const owner = await world.user();
    const member = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, member, "member");
    const noon = Date.UTC(2026, 5, 1, 12, 0);
    world.api.clock.set(noon);
    const evaluate = async (body: unknown) => json<Decision>(await world.api.call(`${world.tenant.base}/policies/evaluate`, { body, token: world.tenant.secretKey }));
    const doc = (organization_id: string, owner_id?: string) => ({ type: "document", id: "d1", organization_id, owner_id });

    const allowed = await evaluate({ subject: { user_id: member.id, organization_id: org.id }, action: "documents:edit", resource: doc(org.id) });
    expect(allowed).toEqual({
      decision: "allow",
      allowed: true,
      reasons: [{ rule_id: "editors-edit", effect: "allow", message: "rule editors-edit allows documents:edit: editors edit their org's documents" }],
    });
    const otherOrg = await evaluate({ subject: { user_id: member.id, organization_id: org.id }, action: "documents:edit", resource: doc("org_elsewhere") });
    expect(otherOrg).toMatchObject({ decision: "deny", reasons: [{ rule_id: null }] });
    const notMember = await evaluate({ subject: { user_id: owner.id }, action: "documents:edit", resource: doc(org.id) });
    expect(notMember.allowed).toBe(false);
    const mine = await evaluate({ subject: { user_id: member.id }, action: "documents:delete", resource: doc(org.id, member.id) });
    expect(mine).toMatchObject({ allowed: true, reasons: [{ rule_id: "owners-delete" }] });
    const theirs = await evaluate({ subject: { user_id: member.id }, action: "documents:delete", resource: doc(org.id, owner.id) });
    expect(theirs.allowed).toBe(false);

    world.api.clock.set(Date.UTC(2026, 5, 1, 23, 0));
    const late = await evaluate({ subject: { user_id: member.id, organization_id: org.id }, action: "documents:edit", resource: doc(org.id) });
    expect(late.decision).toBe("deny");
    expect(late.reasons.map((r) => [r.rule_id, r.effect])).toEqual([
      ["editors-edit", "allow"],
      ["office-hours", "deny"],
    ]);
  });

  it("a user may ask about themselves only; other tenants' rules never apply; bad input is a 400", async () => {
    const world = await orgWorld();
    const other = await orgWorld();
    await other.admin("/policies", { method: "PUT", body: { rules: [{ id: "all", effect: "allow", actions: ["*"] }] } });
    const alice = await world.user();
    const bob = await world.user();
    const ask = (token: string, userId: string) =>
      world.api.call(`${world.tenant.base}/policies/evaluate`, { token, body: { subject: { user_id: userId }, action: "documents:read", resource: { type: "document" } } });
    expect((await json<Decision>(await ask(alice.token, alice.id))).decision).toBe("deny");
    await expectProblem(await ask(alice.token, bob.id), 403, "forbidden");
    await expectProblem(await world.api.call(`${world.tenant.base}/policies/evaluate`, { body: { subject: {}, action: "x" } }), 401, "unauthorized");
    await expectProblem(
      await world.api.call(`${world.tenant.base}/policies/evaluate`, { token: world.tenant.secretKey, body: { subject: { user_id: "u" }, action: "read", resource: { type: "d" } } }),
      400,
      "validation_failed",
    );
  });
});
