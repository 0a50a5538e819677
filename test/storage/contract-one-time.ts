import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, NOW, tokenRow } from "./fixtures";

const RACERS = 8;

/** One-time tokens: consume-once under concurrency, insert-once (insertIfAbsent), peek, counted attempts, expiry, purge. */
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

    it("insertIfAbsent: of concurrent inserts of one id exactly one writes", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const token = tokenRow(tenant.id, { purpose: "oauth_client_assertion", subject: null });
      const results = await Promise.all(
        Array.from({ length: RACERS }, (_, index) => open().oneTimeTokens.insertIfAbsent({ ...token, data: { racer: index } })),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, NOW)).toEqual({ ...token, data: { racer: winner } });
    });

    it("insertIfAbsent refuses while a row with the id is live, in any tenant or purpose, and replaces an expired one", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const token = tokenRow(tenant.id, { purpose: "oauth_code_redeemed", data: { sessionId: "ses_1" } });
      expect(await storage.oneTimeTokens.insertIfAbsent(token)).toBe(true);
      expect(await storage.oneTimeTokens.insertIfAbsent({ ...token, data: { sessionId: "ses_2" } })).toBe(false);
      expect(await storage.oneTimeTokens.insertIfAbsent({ ...token, tenantId: other.id, data: { other: true } })).toBe(false);
      expect(await storage.oneTimeTokens.insertIfAbsent({ ...token, purpose: "oauth_client_assertion" })).toBe(false);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, NOW)).toEqual(token);
      expect(await storage.oneTimeTokens.peek(other.id, token.purpose, token.id, NOW)).toBeNull();

      // At its expiry the row no longer counts: the next insert takes its place.
      const later = { ...token, data: { sessionId: "ses_3" }, createdAt: token.expiresAt, expiresAt: token.expiresAt + 60_000 };
      expect(await storage.oneTimeTokens.insertIfAbsent(later)).toBe(true);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, token.expiresAt)).toEqual(later);
    });

    it("peek reads a live row of the right tenant and purpose without consuming it", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const token = tokenRow(tenant.id, { purpose: "oauth_authorization_request", data: { clientId: "cli_1" } });
      await storage.oneTimeTokens.put(token);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, NOW)).toEqual(token);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, NOW)).toEqual(token);
      expect(await storage.oneTimeTokens.peek(other.id, token.purpose, token.id, NOW)).toBeNull();
      expect(await storage.oneTimeTokens.peek(tenant.id, "oauth_device_code", token.id, NOW)).toBeNull();
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, token.expiresAt)).toBeNull();
      expect(await storage.oneTimeTokens.consume(tenant.id, token.purpose, token.id, NOW)).toEqual(token);
      expect(await storage.oneTimeTokens.peek(tenant.id, token.purpose, token.id, NOW)).toBeNull();
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
