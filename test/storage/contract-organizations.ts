import type { Invitation, Membership, Organization, Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, givenUser, newId, NOW } from "./fixtures";

const organizationRow = (tenantId: string, overrides: Partial<Organization> = {}): Organization => {
  const id = newId("org");
  return { id, tenantId, name: "Acme", slug: id.replace("_", "-"), metadata: { plan: "team" }, createdAt: NOW, updatedAt: NOW, ...overrides };
};
const member = (organization: Organization, userId: string, role: string): Membership => ({
  tenantId: organization.tenantId,
  organizationId: organization.id,
  userId,
  role,
  createdAt: NOW,
  updatedAt: NOW,
});
const invitationRow = (organization: Organization, overrides: Partial<Invitation> = {}): Invitation => {
  const id = newId("inv");
  return {
    id,
    tenantId: organization.tenantId,
    organizationId: organization.id,
    email: "Invitee@Example.com",
    emailNormalized: "invitee@example.com",
    role: "member",
    invitedBy: null,
    tokenHash: `hash-${id}`,
    status: "pending",
    createdAt: NOW,
    expiresAt: NOW + 60_000,
    respondedAt: null,
    ...overrides,
  };
};

/** Organizations, memberships (last-owner guard, transfer), invitations, custom roles and policy sets. */
export function organizationContract(open: () => Storage) {
  describe("organizations and memberships", () => {
    it("creates with its owner, refuses a taken slug, updates, lists and deletes with members and invitations", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const owner = await givenUser(storage, tenant.id);
      const org = organizationRow(tenant.id, { slug: "acme" });
      await storage.organizations.create(org, member(org, owner.id, "owner"));
      const clash = organizationRow(tenant.id, { slug: "acme" });
      await expect(storage.organizations.create(clash, member(clash, owner.id, "owner"))).rejects.toMatchObject({ code: "organization_slug_taken" });
      expect(await storage.organizations.get(tenant.id, clash.id)).toBeNull();
      expect(await storage.memberships.list(tenant.id, clash.id)).toEqual([]);
      expect(await storage.organizations.get(tenant.id, org.id)).toEqual(org);

      const second = organizationRow(tenant.id);
      await storage.organizations.create(second, member(second, owner.id, "owner"));
      await expect(storage.organizations.update(tenant.id, second.id, { slug: "acme", updatedAt: NOW + 1 })).rejects.toMatchObject({ code: "organization_slug_taken" });
      expect(await storage.organizations.update(tenant.id, org.id, { name: "Acme 2", metadata: {}, updatedAt: NOW + 1 })).toEqual({ ...org, name: "Acme 2", metadata: {}, updatedAt: NOW + 1 });
      expect((await storage.organizations.listForUser(tenant.id, owner.id)).map((entry) => [entry.organization.id, entry.role])).toEqual([
        [org.id, "owner"],
        [second.id, "owner"],
      ]);
      const page = await storage.organizations.list({ tenantId: tenant.id, afterId: null, limit: 1 });
      expect(page.items.map((o) => o.id)).toEqual([second.id]);
      expect((await storage.organizations.list({ tenantId: tenant.id, afterId: page.nextAfterId, limit: 1 })).items.map((o) => o.id)).toEqual([org.id]);

      await storage.invitations.insert(invitationRow(org));
      expect(await storage.organizations.delete(tenant.id, org.id)).toBe(true);
      expect(await storage.organizations.delete(tenant.id, org.id)).toBe(false);
      expect(await storage.memberships.get(tenant.id, org.id, owner.id)).toBeNull();
      expect(await storage.organizations.listForUser(tenant.id, owner.id)).toHaveLength(1);
      const other = await givenTenant(storage);
      expect(await storage.organizations.get(other.id, second.id)).toBeNull();
    });

    it("never leaves an organization without an owner, even under concurrent demotions", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [a, b, c] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const org = organizationRow(tenant.id);
      await storage.organizations.create(org, member(org, a.id, "owner"));
      await storage.memberships.add(member(org, b.id, "owner"));
      await storage.memberships.add(member(org, c.id, "member"));
      await expect(storage.memberships.add(member(org, c.id, "admin"))).rejects.toMatchObject({ code: "already_member" });

      const demotions = await Promise.all([
        open().memberships.changeRole(tenant.id, org.id, a.id, "admin", NOW + 1),
        open().memberships.changeRole(tenant.id, org.id, b.id, "admin", NOW + 1),
      ]);
      expect(demotions.sort()).toEqual(["done", "last_owner"]);
      const owners = (await storage.memberships.list(tenant.id, org.id)).filter((m) => m.role === "owner");
      expect(owners).toHaveLength(1);
      const last = owners[0]?.userId ?? "";
      expect(await storage.memberships.remove(tenant.id, org.id, last)).toBe("last_owner");
      expect(await storage.memberships.changeRole(tenant.id, org.id, last, "owner", NOW + 2)).toBe("done");
      expect(await storage.memberships.changeRole(tenant.id, org.id, "usr_missing", "admin", NOW)).toBe("not_found");
      expect(await storage.memberships.remove(tenant.id, org.id, c.id)).toBe("done");
      expect(await storage.memberships.remove(tenant.id, org.id, c.id)).toBe("not_found");
      expect(await storage.memberships.countWithRole(tenant.id, "admin")).toBe(1);
    });

    it("transfers ownership in one step only from an owner to a member", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [owner, next, outsider] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const org = organizationRow(tenant.id);
      await storage.organizations.create(org, member(org, owner.id, "owner"));
      await storage.memberships.add(member(org, next.id, "member"));
      expect(await storage.memberships.transferOwnership(tenant.id, org.id, owner.id, outsider.id, NOW + 1)).toBe(false);
      expect(await storage.memberships.transferOwnership(tenant.id, org.id, next.id, owner.id, NOW + 1)).toBe(false);
      expect(await storage.memberships.transferOwnership(tenant.id, org.id, owner.id, next.id, NOW + 1)).toBe(true);
      const roles = Object.fromEntries((await storage.memberships.list(tenant.id, org.id)).map((m) => [m.userId, m.role]));
      expect(roles).toEqual({ [owner.id]: "admin", [next.id]: "owner" });
    });
  });

  describe("invitations, custom roles and policy sets", () => {
    it("accepts with the membership in one transaction, revokes once, lists pending unexpired", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [owner, invitee] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const org = organizationRow(tenant.id);
      await storage.organizations.create(org, member(org, owner.id, "owner"));
      const live = invitationRow(org);
      const expired = invitationRow(org, { expiresAt: NOW - 1 });
      const revoked = invitationRow(org);
      for (const invitation of [live, expired, revoked]) await storage.invitations.insert(invitation);
      expect(await storage.invitations.getByTokenHash(tenant.id, live.tokenHash)).toEqual(live);
      expect((await storage.invitations.listPending(tenant.id, org.id, NOW)).map((i) => i.id)).toEqual([revoked.id, live.id]);
      expect(await storage.invitations.revoke(tenant.id, revoked.id, NOW)).toBe(true);
      expect(await storage.invitations.revoke(tenant.id, revoked.id, NOW)).toBe(false);

      await storage.invitations.accept(tenant.id, live.id, member(org, invitee.id, "member"));
      expect(await storage.invitations.get(tenant.id, live.id)).toMatchObject({ status: "accepted", respondedAt: NOW });
      expect(await storage.memberships.get(tenant.id, org.id, invitee.id)).toMatchObject({ role: "member" });
      const again = invitationRow(org);
      await storage.invitations.insert(again);
      await expect(storage.invitations.accept(tenant.id, again.id, member(org, invitee.id, "admin"))).rejects.toMatchObject({ code: "already_member" });
      expect(await storage.invitations.get(tenant.id, again.id)).toMatchObject({ status: "pending" });
      await storage.invitations.delete(tenant.id, again.id);
      expect(await storage.invitations.get(tenant.id, again.id)).toBeNull();
    });

    it("stores custom roles per tenant and replaces policy sets whole", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const other = await givenTenant(storage);
      const role = { tenantId: tenant.id, key: "billing", name: "Billing", description: null, permissions: ["invoices:*"], createdAt: NOW, updatedAt: NOW };
      await storage.customRoles.create(role);
      await expect(storage.customRoles.create(role)).rejects.toMatchObject({ code: "conflict" });
      expect(await storage.customRoles.get(other.id, "billing")).toBeNull();
      expect(await storage.customRoles.update(tenant.id, "billing", { name: "B", description: "d", permissions: [], updatedAt: NOW + 1 })).toEqual({
        ...role,
        name: "B",
        description: "d",
        permissions: [],
        updatedAt: NOW + 1,
      });
      expect(await storage.customRoles.list(tenant.id)).toHaveLength(1);
      expect(await storage.customRoles.delete(tenant.id, "billing")).toBe(true);
      expect(await storage.customRoles.delete(tenant.id, "billing")).toBe(false);

      expect(await storage.policies.get(tenant.id)).toBeNull();
      const rules = [{ id: "r1", effect: "allow" as const, actions: ["documents:edit"], conditions: [{ type: "same_org" as const }] }];
      await storage.policies.put({ tenantId: tenant.id, rules, updatedAt: NOW });
      await storage.policies.put({ tenantId: tenant.id, rules: [], updatedAt: NOW + 1 });
      expect(await storage.policies.get(tenant.id)).toEqual({ tenantId: tenant.id, rules: [], updatedAt: NOW + 1 });
      await storage.policies.put({ tenantId: other.id, rules, updatedAt: NOW });
      expect((await storage.policies.get(other.id))?.rules).toEqual(rules);
    });
  });
}
