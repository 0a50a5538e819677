import { PlintoError, type Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { apiKeyRow, givenTenant, givenUser, NOW, signingKeyRow, tenantRow, userRow } from "./fixtures";

const code = (error: unknown) => (error instanceof PlintoError ? error.code : String(error));

/** Tenants, users, bootstrap: create/read/update/delete, uniqueness per tenant, pages, isolation, rollback. */
export function identityContract(open: () => Storage) {
  describe("tenants", () => {
    it("creates, reads by slug, updates settings, refuses a taken slug", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      expect(await storage.tenants.getBySlug(tenant.slug)).toEqual(tenant);
      expect(await storage.tenants.getBySlug(`${tenant.slug}-missing`)).toBeNull();
      const settings = { ...tenant.settings, allowed_origins: ["https://app.example"] };
      await storage.tenants.updateSettings({ ...tenant, settings, updatedAt: NOW + 1 });
      expect(await storage.tenants.getBySlug(tenant.slug)).toMatchObject({ settings, updatedAt: NOW + 1 });
      const clash = storage.tenants.create(tenantRow({ slug: tenant.slug }));
      expect(code(await clash.catch((error: unknown) => error))).toBe("slug_taken");
    });

    it("bootstraps tenant, signing key and secret key together, and writes nothing when one fails", async () => {
      const storage = open();
      const tenant = tenantRow();
      const signingKey = signingKeyRow(tenant.id);
      const apiKey = apiKeyRow(tenant.id);
      await storage.bootstrapTenant({ tenant, signingKey, apiKey });
      expect(await storage.tenants.getBySlug(tenant.slug)).toEqual(tenant);
      expect(await storage.signingKeys.getActive(tenant.id)).toEqual(signingKey);
      expect(await storage.apiKeys.findBySecretHash(apiKey.secretHash)).toEqual(apiKey);

      // The last insert fails (the secret hash is taken): the tenant and key before it roll back.
      const second = tenantRow();
      const failed = storage.bootstrapTenant({
        tenant: second,
        signingKey: signingKeyRow(second.id),
        apiKey: apiKeyRow(second.id, { secretHash: apiKey.secretHash }),
      });
      expect(code(await failed.catch((error: unknown) => error))).toBe("slug_taken");
      expect(await storage.tenants.getBySlug(second.slug)).toBeNull();
      expect(await storage.signingKeys.listAll(second.id)).toEqual([]);
    });
  });

  describe("users", () => {
    it("creates, reads by id and email, writes only patched columns, deletes", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const user = await givenUser(storage, tenant.id, { name: "Ada", emailVerified: true });
      expect(await storage.users.getById(tenant.id, user.id)).toEqual(user);
      expect(await storage.users.getByEmail(tenant.id, user.emailNormalized)).toEqual(user);

      await storage.users.update(tenant.id, user.id, { bannedAt: NOW + 5, banReason: "spam", metadata: { plan: "pro" } });
      await storage.users.update(tenant.id, user.id, { name: "Ada L.", updatedAt: NOW + 6 });
      expect(await storage.users.getById(tenant.id, user.id)).toEqual({
        ...user,
        name: "Ada L.",
        bannedAt: NOW + 5,
        banReason: "spam",
        metadata: { plan: "pro" },
        updatedAt: NOW + 6,
      });

      expect(await storage.users.delete(tenant.id, user.id)).toBe(true);
      expect(await storage.users.delete(tenant.id, user.id)).toBe(false);
      expect(await storage.users.getById(tenant.id, user.id)).toBeNull();
    });

    it("keeps emails unique per tenant, not across tenants", async () => {
      const storage = open();
      const [a, b] = [await givenTenant(storage), await givenTenant(storage)];
      const user = await givenUser(storage, a.id);
      const again = storage.users.create(userRow(a.id, { email: user.email, emailNormalized: user.emailNormalized }));
      expect(code(await again.catch((error: unknown) => error))).toBe("email_taken");
      await givenUser(storage, b.id, { email: user.email, emailNormalized: user.emailNormalized });
      const other = await givenUser(storage, a.id);
      const rename = storage.users.update(a.id, other.id, { email: user.email, emailNormalized: user.emailNormalized });
      expect(code(await rename.catch((error: unknown) => error))).toBe("email_taken");
    });

    it("never reads, updates or deletes another tenant's user", async () => {
      const storage = open();
      const [a, b] = [await givenTenant(storage), await givenTenant(storage)];
      const user = await givenUser(storage, a.id);
      expect(await storage.users.getById(b.id, user.id)).toBeNull();
      expect(await storage.users.getByEmail(b.id, user.emailNormalized)).toBeNull();
      await storage.users.update(b.id, user.id, { name: "Intruder" });
      expect(await storage.users.delete(b.id, user.id)).toBe(false);
      expect(await storage.users.getById(a.id, user.id)).toEqual(user);
      expect((await storage.users.list({ tenantId: b.id, afterId: null, limit: 10 })).items).toEqual([]);
    });

    it("pages newest first with a cursor, filters by prefix (wildcards literal) and ban state", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const users = [];
      for (let i = 0; i < 5; i++) users.push(await givenUser(storage, tenant.id, { name: i === 2 ? "100%_match" : `User ${i}` }));
      const ids = users.map((user) => user.id).reverse();
      const first = await storage.users.list({ tenantId: tenant.id, afterId: null, limit: 2 });
      expect(first.items.map((user) => user.id)).toEqual(ids.slice(0, 2));
      const second = await storage.users.list({ tenantId: tenant.id, afterId: first.nextAfterId, limit: 2 });
      expect(second.items.map((user) => user.id)).toEqual(ids.slice(2, 4));
      const last = await storage.users.list({ tenantId: tenant.id, afterId: second.nextAfterId, limit: 2 });
      expect(last).toEqual({ items: [users[0]], nextAfterId: null });

      const found = await storage.users.list({ tenantId: tenant.id, afterId: null, limit: 10, query: "100%_" });
      expect(found.items.map((user) => user.id)).toEqual([users[2]?.id]);
      expect((await storage.users.list({ tenantId: tenant.id, afterId: null, limit: 10, query: "100__" })).items).toEqual([]);
      await storage.users.update(tenant.id, users[1]?.id ?? "", { bannedAt: NOW });
      const banned = await storage.users.list({ tenantId: tenant.id, afterId: null, limit: 10, banned: true });
      expect(banned.items.map((user) => user.id)).toEqual([users[1]?.id]);
      expect((await storage.users.list({ tenantId: tenant.id, afterId: null, limit: 10, banned: false })).items).toHaveLength(4);
    });
  });
}
