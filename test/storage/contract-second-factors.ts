import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, givenUser, NOW, passkeyRow, totpRow } from "./fixtures";

/** TOTP factors, recovery codes, passkeys and email templates. */
export function secondFactorContract(open: () => Storage) {
  describe("TOTP factors and recovery codes", () => {
    it("replaces a pending factor, activates once with codes, refuses replays, deletes", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const user = await givenUser(storage, tenant.id);
      const first = totpRow(tenant.id, user.id);
      expect(await storage.totpFactors.putPending(first)).toBe(true);
      const second = totpRow(tenant.id, user.id, { secretEncrypted: "sealed-2" });
      expect(await storage.totpFactors.putPending(second)).toBe(true);
      expect(await storage.totpFactors.getForUser(tenant.id, user.id)).toMatchObject({ id: second.id, secretEncrypted: "sealed-2" });

      const activations = await Promise.all([1, 2, 3].map(() => open().totpFactors.activate(second, 100, NOW, ["c1", "c2"])));
      expect(activations.filter(Boolean)).toHaveLength(1);
      expect(await storage.recoveryCodes.count(tenant.id, user.id)).toBe(2);
      expect(await storage.totpFactors.putPending(totpRow(tenant.id, user.id))).toBe(false);
      expect(await storage.totpFactors.getForUser(tenant.id, user.id)).toEqual({ ...second, status: "active", activatedAt: NOW, lastUsedStep: 100 });

      expect(await storage.totpFactors.useStep(tenant.id, second.id, 100)).toBe(false);
      const uses = await Promise.all([1, 2, 3].map(() => open().totpFactors.useStep(tenant.id, second.id, 101)));
      expect(uses.filter(Boolean)).toHaveLength(1);
      expect(await storage.totpFactors.delete(tenant.id, user.id)).toMatchObject({ id: second.id, lastUsedStep: 101 });
      expect(await storage.totpFactors.delete(tenant.id, user.id)).toBeNull();
    });

    it("spends each recovery code once under concurrency, replaces and deletes them per user", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [user, other] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      await storage.recoveryCodes.replaceAll(tenant.id, user.id, [`a-${user.id}`, `b-${user.id}`], NOW);
      await storage.recoveryCodes.replaceAll(tenant.id, other.id, [`a-${other.id}`], NOW);
      const spends = await Promise.all([1, 2, 3, 4].map(() => open().recoveryCodes.consume(tenant.id, user.id, `a-${user.id}`)));
      expect(spends.filter(Boolean)).toHaveLength(1);
      expect(await storage.recoveryCodes.consume(tenant.id, user.id, `a-${other.id}`)).toBe(false);
      expect(await storage.recoveryCodes.count(tenant.id, user.id)).toBe(1);
      await storage.recoveryCodes.replaceAll(tenant.id, user.id, [`c-${user.id}`, `d-${user.id}`, `e-${user.id}`], NOW);
      expect(await storage.recoveryCodes.count(tenant.id, user.id)).toBe(3);
      await storage.recoveryCodes.deleteAll(tenant.id, user.id);
      expect(await storage.recoveryCodes.count(tenant.id, user.id)).toBe(0);
      expect(await storage.recoveryCodes.count(tenant.id, other.id)).toBe(1);
    });
  });

  describe("passkeys", () => {
    it("registers once per tenant, reads, lists oldest first, renames, deletes, per user", async () => {
      const storage = open();
      const [tenant, elsewhere] = [await givenTenant(storage), await givenTenant(storage)];
      const [user, stranger] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const first = passkeyRow(tenant.id, user.id);
      const second = passkeyRow(tenant.id, user.id, { createdAt: NOW + 1, transports: [] });
      await storage.passkeys.insert(first);
      await storage.passkeys.insert(second);
      await expect(storage.passkeys.insert(passkeyRow(tenant.id, stranger.id, { credentialId: first.credentialId }))).rejects.toMatchObject({ code: "conflict" });
      const otherUser = await givenUser(storage, elsewhere.id);
      await storage.passkeys.insert(passkeyRow(elsewhere.id, otherUser.id, { credentialId: first.credentialId }));

      expect(await storage.passkeys.getByCredentialId(tenant.id, first.credentialId)).toEqual(first);
      expect(await storage.passkeys.get(tenant.id, user.id, first.id)).toEqual(first);
      expect(await storage.passkeys.get(tenant.id, stranger.id, first.id)).toBeNull();
      expect(await storage.passkeys.listForUser(tenant.id, user.id)).toEqual([first, second]);
      expect(await storage.passkeys.countForUser(tenant.id, user.id)).toBe(2);
      expect(await storage.passkeys.rename(tenant.id, stranger.id, first.id, "Mine")).toBeNull();
      expect(await storage.passkeys.rename(tenant.id, user.id, first.id, "Work laptop")).toEqual({ ...first, name: "Work laptop" });
      expect(await storage.passkeys.delete(tenant.id, stranger.id, second.id)).toBe(false);
      expect(await storage.passkeys.delete(tenant.id, user.id, second.id)).toBe(true);
      expect(await storage.passkeys.countForUser(tenant.id, user.id)).toBe(1);
    });

    it("moves the signature counter forward only, once for racing assertions", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const user = await givenUser(storage, tenant.id);
      const passkey = passkeyRow(tenant.id, user.id, { counter: 5 });
      await storage.passkeys.insert(passkey);
      const race = await Promise.all([1, 2, 3].map(() => open().passkeys.recordUse(tenant.id, passkey.id, { counter: 6, backedUp: false, usedAt: NOW })));
      expect(race.filter(Boolean)).toHaveLength(1);
      expect(await storage.passkeys.recordUse(tenant.id, passkey.id, { counter: 6, backedUp: false, usedAt: NOW + 1 })).toBe(false);
      expect(await storage.passkeys.get(tenant.id, user.id, passkey.id)).toEqual({ ...passkey, counter: 6, backedUp: false, lastUsedAt: NOW });
      const counterless = passkeyRow(tenant.id, user.id);
      await storage.passkeys.insert(counterless);
      expect(await storage.passkeys.recordUse(tenant.id, counterless.id, { counter: 0, backedUp: true, usedAt: NOW })).toBe(true);
    });
  });

  describe("email templates", () => {
    it("puts, replaces, reads, lists and deletes a tenant's overrides", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const template = { tenantId: tenant.id, kind: "magic_link" as const, subject: "Sign in", text: "t", html: "<p>h</p>", updatedAt: NOW };
      await storage.emailTemplates.put(template);
      await storage.emailTemplates.put({ ...template, subject: "Your link", updatedAt: NOW + 1 });
      expect(await storage.emailTemplates.get(tenant.id, "magic_link")).toEqual({ ...template, subject: "Your link", updatedAt: NOW + 1 });
      expect(await storage.emailTemplates.get(other.id, "magic_link")).toBeNull();
      expect(await storage.emailTemplates.list(tenant.id)).toHaveLength(1);
      expect(await storage.emailTemplates.delete(other.id, "magic_link")).toBe(false);
      expect(await storage.emailTemplates.delete(tenant.id, "magic_link")).toBe(true);
      expect(await storage.emailTemplates.list(tenant.id)).toEqual([]);
    });
  });
}
