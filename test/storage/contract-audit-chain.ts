import { sealAuditChain, type Storage, verifyAuditChain } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { auditRow, givenTenant } from "./fixtures";

const RACERS = 12;
const SEALERS = 8;

const verify = (storage: Storage, tenantId: string) =>
  verifyAuditChain({ storage } as Parameters<typeof verifyAuditChain>[0], tenantId, 5);

/** Small batches, so racing sealers interleave over several rounds. */
const seal = (storage: Storage, tenantId: string) => sealAuditChain({ storage }, tenantId, { batchSize: 4, maxRows: 1_000, maxLostRaces: 1_000 });

/** The audit hash chain: unsealed appends, sealing (alone and racing), links, pseudonymisation. */
export function auditChainContract(open: () => Storage) {
  /** A few clients shared by the racing tests (a Postgres client per racer would run the server out of connections). */
  let pool: Storage[] | undefined;
  const racer = (i: number): Storage => {
    pool ??= Array.from({ length: 4 }, open);
    return pool[i % pool.length] ?? open();
  };
  describe("audit hash chain", () => {
    it("appends unsealed; sealing numbers each tenant's rows 1, 2, 3 and links each to the previous hash", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      for (let i = 0; i < 3; i++) await storage.audit.append(auditRow(tenant.id, { createdAt: 1_000 + i }));
      await storage.audit.append(auditRow(other.id));
      expect(await storage.audit.chain(tenant.id, 0, 10)).toEqual([]);
      expect(await storage.audit.countUnsealed(tenant.id)).toBe(3);
      expect(await storage.audit.tenantsWithUnsealed(10_000)).toEqual(expect.arrayContaining([tenant.id, other.id]));

      expect(await seal(storage, tenant.id)).toEqual({ sealed: 3, complete: true });
      const rows = await storage.audit.chain(tenant.id, 0, 10);
      expect(rows.map((row) => [row.chain.seq, row.createdAt])).toEqual([[1, 1_000], [2, 1_001], [3, 1_002]]);
      expect(rows[0]?.chain.prevHash).toBe("0".repeat(64));
      expect(rows[1]?.chain.prevHash).toBe(rows[0]?.chain.hash);
      expect(rows[2]?.chain.prevHash).toBe(rows[1]?.chain.hash);
      expect(await storage.audit.countUnsealed(tenant.id)).toBe(0);
      expect(await storage.audit.tenantsWithUnsealed(10_000)).not.toContain(tenant.id);
      expect(await storage.audit.chain(other.id, 0, 10)).toEqual([]);

      await seal(storage, other.id);
      expect((await storage.audit.chain(other.id, 0, 10)).map((row) => row.chain.seq)).toEqual([1]);
      expect((await storage.audit.chain(tenant.id, 2, 10)).map((row) => row.chain.seq)).toEqual([3]);
      // Later appends continue from the head.
      await storage.audit.append(auditRow(tenant.id));
      await seal(storage, tenant.id);
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: 4, firstBroken: null });
    });

    it(`${RACERS} racing appends and ${SEALERS} racing sealers make one unforked chain holding every row`, async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const events = Array.from({ length: RACERS }, () => auditRow(tenant.id));
      await Promise.all(events.map((event, i) => racer(i).audit.append(event)));
      const outcomes = await Promise.all(Array.from({ length: SEALERS }, (_, i) => seal(racer(i), tenant.id)));
      expect(outcomes.reduce((total, outcome) => total + outcome.sealed, 0)).toBe(RACERS);
      const rows = await storage.audit.chain(tenant.id, 0, 100);
      expect(rows.map((row) => row.chain.seq)).toEqual(Array.from({ length: RACERS }, (_, i) => i + 1));
      expect(rows.map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
      expect(await storage.audit.countUnsealed(tenant.id)).toBe(0);
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: RACERS, firstBroken: null });
    });

    it("sealers racing appends that keep arriving still make one chain", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const events = Array.from({ length: RACERS * 2 }, () => auditRow(tenant.id));
      await Promise.all([
        ...events.map((event, i) => racer(i).audit.append(event)),
        ...Array.from({ length: SEALERS }, (_, i) => seal(racer(i), tenant.id)),
      ]);
      await seal(storage, tenant.id);
      const rows = await storage.audit.chain(tenant.id, 0, 100);
      expect(rows.map((row) => row.chain.seq)).toEqual(events.map((_, i) => i + 1));
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: events.length });
    });

    it("refuses a seal whose predecessor does not hold its prev_hash, or whose seq is taken", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      for (let i = 0; i < 3; i++) await storage.audit.append(auditRow(tenant.id, { createdAt: 1_000 + i }));
      const { head, rows } = await storage.audit.unsealed(tenant.id, 10);
      expect(head).toBeNull();
      const [first, second] = rows;
      if (!first || !second) throw new Error("expected unsealed rows");
      expect(await storage.audit.seal(tenant.id, [{ id: first.id, seq: 1, prevHash: "0".repeat(64), hash: "a".repeat(64) }])).toBe(1);
      // Links to a hash seq 1 does not hold: refused, and nothing after it is written either.
      expect(await storage.audit.seal(tenant.id, [{ id: second.id, seq: 2, prevHash: "b".repeat(64), hash: "c".repeat(64) }])).toBe(0);
      // Takes a seq another row holds: refused by the unique index.
      expect(await storage.audit.seal(tenant.id, [{ id: second.id, seq: 1, prevHash: "0".repeat(64), hash: "d".repeat(64) }])).toBe(0);
      // Re-seals a sealed row: refused.
      expect(await storage.audit.seal(tenant.id, [{ id: first.id, seq: 2, prevHash: "a".repeat(64), hash: "e".repeat(64) }])).toBe(0);
      expect(await storage.audit.countUnsealed(tenant.id)).toBe(2);
      expect((await storage.audit.unsealed(tenant.id, 10)).head).toEqual({ seq: 1, hash: "a".repeat(64) });
    });

    it("pseudonymises personal columns only, sealed or not; the chain still verifies", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const personal = { actorType: "user" as const, actorId: "usr_gone", subjectId: "usr_gone", data: { email: "gone@example.com" } };
      const [sealed, pending] = [auditRow(tenant.id, { ...personal, createdAt: 1_000 }), auditRow(tenant.id, { ...personal, createdAt: 3_000 })];
      await storage.audit.append(sealed);
      await storage.audit.append(auditRow(tenant.id, { createdAt: 2_000 }));
      await seal(storage, tenant.id);
      await storage.audit.append(pending);
      const mentioning = await storage.audit.listMentioning(tenant.id, ["usr_gone"], ["gone@example.com"], null, 10);
      expect(mentioning.items.map((item) => item.id).sort()).toEqual([sealed.id, pending.id].sort());
      for (const id of [sealed.id, pending.id]) {
        await storage.audit.pseudonymise(tenant.id, id, { actorId: "anon_x", subjectId: "anon_x", ip: null, userAgent: null, data: {} });
      }
      // Erased before sealing: the sealer links it from the digest stored at append, so it verifies like the rest.
      await seal(storage, tenant.id);
      const rows = await storage.audit.chain(tenant.id, 0, 10);
      expect(rows.map((row) => row.id)).toEqual([sealed.id, expect.any(String), pending.id]);
      for (const row of [rows[0], rows[2]]) {
        expect(row).toMatchObject({ actorId: "anon_x", subjectId: "anon_x", ip: null, userAgent: null, data: {}, chain: { personalSalt: null } });
      }
      expect(await verify(storage, tenant.id)).toMatchObject({ intact: true, checked: 3, pseudonymised: 2 });
    });

    it("lists by time range, from inclusive, to exclusive, sealed or not", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [early, late] = [auditRow(tenant.id, { createdAt: 1_000 }), auditRow(tenant.id, { createdAt: 2_000 })];
      await storage.audit.append(early);
      await seal(storage, tenant.id);
      await storage.audit.append(late);
      const between = await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, from: 1_500, to: 2_001 });
      expect(between.items.map((item) => item.id)).toEqual([late.id]);
      expect((await storage.audit.list({ tenantId: tenant.id, afterId: null, limit: 10, to: 2_000 })).items.map((item) => item.id)).toEqual([early.id]);
    });
  });
}
