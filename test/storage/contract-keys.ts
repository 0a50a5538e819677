import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { apiKeyRow, auditRow, givenTenant, NOW, signingKeyRow } from "./fixtures";

/** Signing keys, secret keys and the audit log. */
export function keysContract(open: () => Storage) {
  describe("signing keys", () => {
    it("inserts, reads, rotates atomically, lists published keys, revokes", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const first = signingKeyRow(tenant.id);
      await storage.signingKeys.insert(first);
      expect(await storage.signingKeys.getByKid(tenant.id, first.kid)).toEqual(first);
      const next = signingKeyRow(tenant.id, { createdAt: NOW + 10 });
      await storage.signingKeys.rotate({ kid: first.kid, retiredAt: NOW + 10, publishUntil: NOW + 1_000 }, next);
      expect(await storage.signingKeys.getActive(tenant.id)).toEqual(next);
      const retired = { ...first, status: "retired", retiredAt: NOW + 10, publishUntil: NOW + 1_000 };
      expect(await storage.signingKeys.listPublished(tenant.id, NOW + 999)).toEqual([next, retired]);
      expect(await storage.signingKeys.listPublished(tenant.id, NOW + 1_000)).toEqual([next]);
      expect(await storage.signingKeys.listAll(tenant.id)).toEqual([next, retired]);
      expect(await storage.signingKeys.revoke(tenant.id, first.kid, NOW + 20)).toBe(true);
      expect(await storage.signingKeys.getByKid(tenant.id, first.kid)).toMatchObject({ status: "revoked", publishUntil: NOW + 20 });
      expect(await storage.signingKeys.getByKid((await givenTenant(storage)).id, next.kid)).toBeNull();
    });

    it("a rotation whose insert fails leaves the old key active", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const active = signingKeyRow(tenant.id);
      await storage.signingKeys.insert(active);
      const duplicate = signingKeyRow(tenant.id, { kid: active.kid, createdAt: NOW + 1 });
      await expect(storage.signingKeys.rotate({ kid: active.kid, retiredAt: NOW + 1, publishUntil: NOW + 2 }, duplicate)).rejects.toThrow();
      expect(await storage.signingKeys.getActive(tenant.id)).toEqual(active);
    });
  });

  describe("secret keys", () => {
    it("finds by secret hash, lists newest first, revokes once, touches", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [older, newer] = [apiKeyRow(tenant.id), apiKeyRow(tenant.id)];
      await storage.apiKeys.insert(older);
      await storage.apiKeys.insert(newer);
      expect(await storage.apiKeys.findBySecretHash(older.secretHash)).toEqual(older);
      expect(await storage.apiKeys.findBySecretHash("unknown")).toBeNull();
      expect(await storage.apiKeys.list(tenant.id)).toEqual([newer, older]);
      expect(await storage.apiKeys.revoke((await givenTenant(storage)).id, older.id, NOW)).toBe(false);
      expect(await storage.apiKeys.revoke(tenant.id, older.id, NOW)).toBe(true);
      expect(await storage.apiKeys.revoke(tenant.id, older.id, NOW + 1)).toBe(false);
      await storage.apiKeys.touch(newer.id, NOW + 7);
      expect(await storage.apiKeys.list(tenant.id)).toEqual([{ ...newer, lastUsedAt: NOW + 7 }, { ...older, revokedAt: NOW }]);
    });
  });

  describe("audit log", () => {
    it("appends and pages newest first, filtered by type, actor and subject, per tenant", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const events = [
        auditRow(tenant.id, { type: "user.created", subjectId: "usr_a" }),
        auditRow(tenant.id, { type: "session.created", actorType: "user", actorId: "usr_a" }),
        auditRow(tenant.id, { type: "user.created", subjectId: "usr_b" }),
      ];
      for (const event of events) await storage.audit.append(event);
      await storage.audit.append(auditRow(other.id));
      const page = await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 2 });
      expect(page.items).toEqual([events[2], events[1]]);
      expect(await storage.audit.list({ tenantId: tenant.id, afterId: page.nextAfterId, limit: 2 })).toEqual({ items: [events[0]], nextAfterId: null });
      const created = await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, type: "user.created" });
      expect(created.items).toEqual([events[2], events[0]]);
      expect((await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, actorId: "usr_a" })).items).toEqual([events[1]]);
      expect((await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, subjectId: "usr_b" })).items).toEqual([events[2]]);
    });
  });
}
