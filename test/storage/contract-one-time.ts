import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, NOW, tokenRow } from "./fixtures";

const RACERS = 8;

/** One-time tokens: consume-once under concurrency, counted attempts, expiry, purge. */
export function oneTimeContract(open: () => Storage) {
  describe("one-time tokens", () => {
    it("of concurrent consumes of one token exactly one wins", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const token = tokenRow(tenant.id);
      await storage.oneTimeTokens.put(token);
      const results = await Promise.all(
        Array.from({ length: RACERS }, () => open().oneTimeTokens.consume(tenant.id, token.purpose, token.id, NOW)),
      );
      expect(results.filter((result) => result !== null)).toEqual([token]);
    });

    it("consumes only live tokens of the right tenant and purpose; a put replaces", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const token = tokenRow(tenant.id);
      await storage.oneTimeTokens.put(token);
      await storage.oneTimeTokens.put({ ...token, data: { redirect: "/new" } });
      expect(await storage.oneTimeTokens.consume(other.id, token.purpose, token.id, NOW)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, "password_reset", token.id, NOW)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, token.purpose, token.id, token.expiresAt)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, token.purpose, token.id, NOW)).toEqual({ ...token, data: { redirect: "/new" } });
    });

    it("counts attempts up to a limit and consumes only with the right code", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const token = tokenRow(tenant.id, { purpose: "email_code", codeHash: "right" });
      await storage.oneTimeTokens.put(token);
      const counted = await Promise.all(
        Array.from({ length: RACERS }, () => open().oneTimeTokens.countAttempt(tenant.id, "email_code", token.id, NOW, 3)),
      );
      expect(counted.filter((row) => row !== null).map((row) => row?.attempts).sort()).toEqual([1, 2, 3]);
      expect(await storage.oneTimeTokens.consumeWithCode(tenant.id, "email_code", token.id, "wrong", NOW)).toBeNull();
      expect(await storage.oneTimeTokens.consumeWithCode(tenant.id, "email_code", token.id, "right", NOW)).toMatchObject({ attempts: 3 });
      expect(await storage.oneTimeTokens.consumeWithCode(tenant.id, "email_code", token.id, "right", NOW)).toBeNull();
    });

    it("deletes a subject's tokens of one purpose and purges expired rows in bounded batches", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [reset, link] = [tokenRow(tenant.id, { purpose: "password_reset" }), tokenRow(tenant.id)];
      await storage.oneTimeTokens.put(reset);
      await storage.oneTimeTokens.put(link);
      await storage.oneTimeTokens.deleteForSubject(tenant.id, "password_reset", reset.subject ?? "");
      expect(await storage.oneTimeTokens.consume(tenant.id, "password_reset", reset.id, NOW)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, link.purpose, link.id, NOW)).not.toBeNull();

      // Times near the epoch: other suites sharing the database hold only later rows, which must survive.
      const now = 10_000;
      const expired = Array.from({ length: 3 }, () => tokenRow(tenant.id, { createdAt: 0, expiresAt: now - 1 }));
      for (const row of expired) await storage.oneTimeTokens.put(row);
      const live = tokenRow(tenant.id, { createdAt: 0, expiresAt: now + 60_000 });
      await storage.oneTimeTokens.put(live);
      let purged = await storage.oneTimeTokens.purgeExpired(now, 2);
      expect(purged).toBeLessThanOrEqual(2);
      while (purged > 0) purged = await storage.oneTimeTokens.purgeExpired(now, 2);
      for (const row of expired) expect(await storage.oneTimeTokens.consume(tenant.id, row.purpose, row.id, 0)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, live.purpose, live.id, now)).toEqual(live);
    });
  });
}
