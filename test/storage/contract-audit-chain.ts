import { type Storage, verifyAuditChain } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { auditRow, givenTenant } from "./fixtures";

const RACERS = 12;

const verify = (storage: Storage, tenantId: string) =>
  verifyAuditChain({ storage } as Parameters<typeof verifyAuditChain>[0], tenantId, 5);

/** The audit hash chain: seq per tenant, links, racing appends, pseudonymisation. */
export function auditChainContract(open: () => Storage) {
  describe("audit hash chain", () => {
    it("numbers each tenant's rows 1, 2, 3 and links each to the previous hash", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      for (let i = 0; i < 3; i++) await storage.audit.append(auditRow(tenant.id));
      await storage.audit.append(auditRow(other.id));
      const rows = await storage.audit.chain(tenant.id, 0, 10);
      expect(rows.map((row) => row.chain.seq)).toEqual([1, 2, 3]);
      expect(rows[0]?.chain.prevHash).toBe("0".repeat(64));
      expect(rows[1]?.chain.prevHash).toBe(rows[0]?.chain.hash);
      expect(rows[2]?.chain.prevHash).toBe(rows[1]?.chain.hash);
      expect((await storage.audit.chain(other.id, 0, 10)).map((row) => row.chain.seq)).toEqual([1]);
      expect((await storage.audit.chain(tenant.id, 2, 10)).map((row) => row.chain.seq)).toEqual([3]);
    });

    it("of racing appends every one lands, on one unforked chain", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const events = Array.from({ length: RACERS }, () => auditRow(tenant.id));
      await Promise.all(events.map((event) => open().audit.append(event)));
      const rows = await storage.audit.chain(tenant.id, 0, 100);
      expect(rows.map((row) => row.chain.seq)).toEqual(Array.from({ length: RACERS }, (_, i) => i + 1));
      expect(rows.map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: RACERS, firstBroken: null });
    });

    it("pseudonymises personal columns only; the chain still verifies", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const event = auditRow(tenant.id, { actorType: "user", actorId: "usr_gone", subjectId: "usr_gone", data: { email: "gone@example.com" } });
      await storage.audit.append(event);
      await storage.audit.append(auditRow(tenant.id));
      const mentioning = await storage.audit.listMentioning(tenant.id, ["usr_gone"], ["gone@example.com"], null, 10);
      expect(mentioning.items.map((item) => item.id)).toEqual([event.id]);
      await storage.audit.pseudonymise(tenant.id, event.id, { actorId: "anon_x", subjectId: "anon_x", ip: null, userAgent: null, data: {} });
      const [row] = await storage.audit.chain(tenant.id, 0, 1);
      expect(row).toMatchObject({ actorId: "anon_x", subjectId: "anon_x", ip: null, userAgent: null, data: {}, chain: { personalSalt: null } });
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: 2, pseudonymised: 1 });
    });

    it("lists by time range, from inclusive, to exclusive", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [early, late] = [auditRow(tenant.id, { createdAt: 1_000 }), auditRow(tenant.id, { createdAt: 2_000 })];
      await storage.audit.append(early);
      await storage.audit.append(late);
      const between = await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, from: 1_500, to: 2_001 });
      expect(between.items.map((item) => item.id)).toEqual([late.id]);
      expect((await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, to: 2_000 })).items.map((item) => item.id)).toEqual([early.id]);
    });
  });
}
