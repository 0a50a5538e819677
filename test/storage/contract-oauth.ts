import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, givenUser, NOW } from "./fixtures";
import { oauthClientRow, oauthConsentRow, oauthGrantRow } from "./fixtures-oauth";

/** OAuth clients, grants and consents (issue 7), unchanged on every backend. */
export function oauthContract(open: () => Storage) {
  describe("oauth provider", () => {
    it("clients: insert, get and list per tenant, replace on update, duplicate id conflicts", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const client = oauthClientRow(tenant.id, { jwks: { keys: [{ kty: "EC", crv: "P-256", x: "x", y: "y" }] } });
      const publicClient = oauthClientRow(tenant.id, { type: "public", tokenEndpointAuthMethod: "none", secretHash: null });
      await storage.oauthClients.insert(client);
      await storage.oauthClients.insert(publicClient);
      await storage.oauthClients.insert(oauthClientRow(other.id));
      expect(await storage.oauthClients.get(tenant.id, client.id)).toEqual(client);
      expect(await storage.oauthClients.get(other.id, client.id)).toBeNull();
      expect(await storage.oauthClients.list(tenant.id)).toEqual([client, publicClient]);
      await expect(storage.oauthClients.insert({ ...client, name: "again" })).rejects.toMatchObject({ code: "conflict" });

      const changed = { ...client, name: "Renamed", redirectUris: ["https://new.example.com/cb"], secretHash: "bmV3", updatedAt: NOW + 1 };
      expect(await storage.oauthClients.update({ ...changed, createdAt: 1 })).toBe(true);
      expect(await storage.oauthClients.get(tenant.id, client.id)).toEqual(changed);
      expect(await storage.oauthClients.update({ ...changed, tenantId: other.id, name: "Hijacked" })).toBe(false);
      expect(await storage.oauthClients.get(tenant.id, client.id)).toEqual(changed);
      expect(await storage.oauthClients.update(oauthClientRow(tenant.id))).toBe(false);

      expect(await storage.oauthClients.delete(other.id, client.id)).toBe(false);
      expect(await storage.oauthClients.delete(tenant.id, client.id)).toBe(true);
      expect(await storage.oauthClients.delete(tenant.id, client.id)).toBe(false);
      expect(await storage.oauthClients.list(tenant.id)).toEqual([publicClient]);
    });

    it("grants: keyed by session, listed by login session, user and client, within the tenant", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const [alice, bob] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const [app, cli] = [oauthClientRow(tenant.id), oauthClientRow(tenant.id)];
      await storage.oauthClients.insert(app);
      await storage.oauthClients.insert(cli);
      const first = oauthGrantRow(app, alice.id, { loginSessionId: "ses_browser_a", acr: "urn:plinto:mfa" });
      const second = oauthGrantRow(cli, alice.id, { loginSessionId: "ses_browser_a", createdAt: NOW + 1, resources: [] });
      const third = oauthGrantRow(app, bob.id, { createdAt: NOW + 2 });
      for (const grant of [first, second, third]) await storage.oauthGrants.insert(grant);
      await expect(storage.oauthGrants.insert(first)).rejects.toMatchObject({ code: "conflict" });

      expect(await storage.oauthGrants.get(tenant.id, first.sessionId)).toEqual(first);
      expect(await storage.oauthGrants.get(other.id, first.sessionId)).toBeNull();
      expect(await storage.oauthGrants.listForLoginSession(tenant.id, "ses_browser_a")).toEqual([first, second]);
      expect(await storage.oauthGrants.listForLoginSession(other.id, "ses_browser_a")).toEqual([]);
      expect(await storage.oauthGrants.listForUser(tenant.id, alice.id)).toEqual([first, second]);
      expect(await storage.oauthGrants.listForClient(tenant.id, app.id)).toEqual([first, third]);
      expect(await storage.oauthGrants.listForClient(other.id, app.id)).toEqual([]);

      await storage.oauthGrants.delete(other.id, first.sessionId);
      expect(await storage.oauthGrants.get(tenant.id, first.sessionId)).toEqual(first);
      await storage.oauthGrants.delete(tenant.id, first.sessionId);
      expect(await storage.oauthGrants.get(tenant.id, first.sessionId)).toBeNull();
      await storage.oauthGrants.deleteForUser(other.id, alice.id);
      expect(await storage.oauthGrants.listForUser(tenant.id, alice.id)).toEqual([second]);
      await storage.oauthGrants.deleteForUser(tenant.id, alice.id);
      expect(await storage.oauthGrants.listForUser(tenant.id, alice.id)).toEqual([]);
      expect(await storage.oauthGrants.listForUser(tenant.id, bob.id)).toEqual([third]);
    });

    it("consents: put inserts then replaces scopes (keeping createdAt), per tenant, user and client", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const [alice, bob] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const [app, cli] = [oauthClientRow(tenant.id), oauthClientRow(tenant.id)];
      await storage.oauthClients.insert(app);
      await storage.oauthClients.insert(cli);
      const consent = oauthConsentRow(app, alice.id);
      await storage.oauthConsents.put(consent);
      expect(await storage.oauthConsents.get(tenant.id, alice.id, app.id)).toEqual(consent);
      expect(await storage.oauthConsents.get(other.id, alice.id, app.id)).toBeNull();
      expect(await storage.oauthConsents.get(tenant.id, bob.id, app.id)).toBeNull();

      const widened = { ...consent, scopes: ["openid", "profile", "email"], createdAt: NOW + 9, updatedAt: NOW + 10 };
      await storage.oauthConsents.put(widened);
      expect(await storage.oauthConsents.get(tenant.id, alice.id, app.id)).toEqual({ ...widened, createdAt: NOW });

      const toCli = oauthConsentRow(cli, alice.id, { createdAt: NOW + 1 });
      const bobs = oauthConsentRow(app, bob.id);
      await storage.oauthConsents.put(toCli);
      await storage.oauthConsents.put(bobs);
      expect((await storage.oauthConsents.listForUser(tenant.id, alice.id)).map((c) => c.clientId)).toEqual([app.id, cli.id]);
      expect(await storage.oauthConsents.listForUser(other.id, alice.id)).toEqual([]);

      expect(await storage.oauthConsents.delete(other.id, alice.id, cli.id)).toBe(false);
      expect(await storage.oauthConsents.delete(tenant.id, alice.id, cli.id)).toBe(true);
      expect(await storage.oauthConsents.delete(tenant.id, alice.id, cli.id)).toBe(false);
      await storage.oauthConsents.deleteForClient(other.id, app.id);
      expect(await storage.oauthConsents.get(tenant.id, bob.id, app.id)).toEqual(bobs);
      await storage.oauthConsents.deleteForUser(tenant.id, alice.id);
      expect(await storage.oauthConsents.listForUser(tenant.id, alice.id)).toEqual([]);
      expect(await storage.oauthConsents.get(tenant.id, bob.id, app.id)).toEqual(bobs);
      await storage.oauthConsents.deleteForClient(tenant.id, app.id);
      expect(await storage.oauthConsents.get(tenant.id, bob.id, app.id)).toBeNull();
    });

    it("deleting a client deletes its grants and consents, and a user's deletion takes theirs", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [alice, bob] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const [app, kept] = [oauthClientRow(tenant.id), oauthClientRow(tenant.id)];
      await storage.oauthClients.insert(app);
      await storage.oauthClients.insert(kept);
      const grant = oauthGrantRow(app, alice.id);
      const keptGrant = oauthGrantRow(kept, alice.id);
      await storage.oauthGrants.insert(grant);
      await storage.oauthGrants.insert(keptGrant);
      await storage.oauthConsents.put(oauthConsentRow(app, alice.id));
      await storage.oauthConsents.put(oauthConsentRow(kept, alice.id));

      expect(await storage.oauthClients.delete(tenant.id, app.id)).toBe(true);
      expect(await storage.oauthGrants.get(tenant.id, grant.sessionId)).toBeNull();
      expect(await storage.oauthConsents.get(tenant.id, alice.id, app.id)).toBeNull();
      expect(await storage.oauthGrants.listForUser(tenant.id, alice.id)).toEqual([keptGrant]);

      await storage.oauthGrants.insert(oauthGrantRow(kept, bob.id));
      await storage.oauthConsents.put(oauthConsentRow(kept, bob.id));
      await storage.users.delete(tenant.id, bob.id);
      expect(await storage.oauthGrants.listForClient(tenant.id, kept.id)).toEqual([keptGrant]);
      expect(await storage.oauthConsents.listForUser(tenant.id, bob.id)).toEqual([]);
    });
  });
}
