import type { Storage } from "@plinto/core";
import { describe, expect, it } from "vitest";
import { givenTenant, givenUser, NOW } from "./fixtures";
import { connectionRow, linkedIdentityRow } from "./fixtures-oauth";

/** Upstream connections and linked identities (issue 7), unchanged on every backend. */
export function upstreamContract(open: () => Storage) {
  describe("upstream sign-in", () => {
    it("connections: insert, get by id and slug per tenant, slug unique in the tenant only, replace on update", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const google = connectionRow(tenant.id, { slug: "google" });
      const generic = connectionRow(tenant.id, { slug: "corp", kind: "oidc", clientSecretEncrypted: null, options: {} });
      await storage.upstreamConnections.insert(google);
      await storage.upstreamConnections.insert(generic);
      await storage.upstreamConnections.insert(connectionRow(other.id, { slug: "google" }));
      await expect(storage.upstreamConnections.insert(connectionRow(tenant.id, { slug: "google" }))).rejects.toMatchObject({ code: "conflict" });

      expect(await storage.upstreamConnections.get(tenant.id, google.id)).toEqual(google);
      expect(await storage.upstreamConnections.get(other.id, google.id)).toBeNull();
      expect(await storage.upstreamConnections.getBySlug(tenant.id, "google")).toEqual(google);
      expect(await storage.upstreamConnections.getBySlug(tenant.id, "github")).toBeNull();
      expect(await storage.upstreamConnections.list(tenant.id)).toEqual([google, generic]);

      const changed = { ...google, displayName: "Google Workspace", enabled: false, scopes: ["openid"], updatedAt: NOW + 1 };
      expect(await storage.upstreamConnections.update({ ...changed, createdAt: 1 })).toBe(true);
      expect(await storage.upstreamConnections.get(tenant.id, google.id)).toEqual(changed);
      expect(await storage.upstreamConnections.update({ ...changed, tenantId: other.id })).toBe(false);
      await expect(storage.upstreamConnections.update({ ...generic, slug: "google" })).rejects.toMatchObject({ code: "conflict" });
      expect(await storage.upstreamConnections.get(tenant.id, generic.id)).toEqual(generic);

      expect(await storage.upstreamConnections.delete(other.id, google.id)).toBe(false);
      expect(await storage.upstreamConnections.delete(tenant.id, google.id)).toBe(true);
      expect(await storage.upstreamConnections.list(tenant.id)).toEqual([generic]);
    });

    it("linked identities: one per (connection, subject), looked up within the tenant, touched, deleted", async () => {
      const storage = open();
      const [tenant, other] = [await givenTenant(storage), await givenTenant(storage)];
      const [alice, bob] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const [google, github] = [connectionRow(tenant.id), connectionRow(tenant.id, { kind: "github" })];
      await storage.upstreamConnections.insert(google);
      await storage.upstreamConnections.insert(github);
      const identity = linkedIdentityRow(google, alice.id, { subject: "1234" });
      const onGithub = linkedIdentityRow(github, alice.id, { subject: "1234", email: null });
      await storage.linkedIdentities.insert(identity);
      await storage.linkedIdentities.insert(onGithub);
      await expect(storage.linkedIdentities.insert(linkedIdentityRow(google, bob.id, { subject: "1234" }))).rejects.toMatchObject({
        code: "conflict",
      });

      expect(await storage.linkedIdentities.getBySubject(tenant.id, google.id, "1234")).toEqual(identity);
      expect(await storage.linkedIdentities.getBySubject(other.id, google.id, "1234")).toBeNull();
      expect(await storage.linkedIdentities.getBySubject(tenant.id, google.id, "12345")).toBeNull();
      expect(await storage.linkedIdentities.listForUser(tenant.id, alice.id)).toEqual([identity, onGithub]);
      expect(await storage.linkedIdentities.listForUser(other.id, alice.id)).toEqual([]);

      await storage.linkedIdentities.touch(other.id, identity.id, NOW + 5, { name: "Mallory" });
      expect(await storage.linkedIdentities.getBySubject(tenant.id, google.id, "1234")).toEqual(identity);
      await storage.linkedIdentities.touch(tenant.id, identity.id, NOW + 5, { name: "Alice", picture: "https://img.example.com/a" });
      expect(await storage.linkedIdentities.getBySubject(tenant.id, google.id, "1234")).toEqual({
        ...identity,
        lastSignInAt: NOW + 5,
        profile: { name: "Alice", picture: "https://img.example.com/a" },
      });

      expect(await storage.linkedIdentities.delete(other.id, onGithub.id)).toBe(false);
      expect(await storage.linkedIdentities.delete(tenant.id, onGithub.id)).toBe(true);
      expect(await storage.linkedIdentities.delete(tenant.id, onGithub.id)).toBe(false);
      await storage.linkedIdentities.insert(linkedIdentityRow(github, bob.id));
      await storage.linkedIdentities.deleteForUser(tenant.id, alice.id);
      expect(await storage.linkedIdentities.listForUser(tenant.id, alice.id)).toEqual([]);
      expect(await storage.linkedIdentities.listForUser(tenant.id, bob.id)).toHaveLength(1);
    });

    it("deleting a connection or a user deletes their linked identities", async () => {
      const storage = open();
      const tenant = await givenTenant(storage);
      const [alice, bob] = [await givenUser(storage, tenant.id), await givenUser(storage, tenant.id)];
      const [google, apple] = [connectionRow(tenant.id), connectionRow(tenant.id, { kind: "apple" })];
      await storage.upstreamConnections.insert(google);
      await storage.upstreamConnections.insert(apple);
      const kept = linkedIdentityRow(apple, alice.id);
      await storage.linkedIdentities.insert(linkedIdentityRow(google, alice.id));
      await storage.linkedIdentities.insert(kept);
      await storage.linkedIdentities.insert(linkedIdentityRow(google, bob.id));

      expect(await storage.upstreamConnections.delete(tenant.id, google.id)).toBe(true);
      expect(await storage.linkedIdentities.listForUser(tenant.id, alice.id)).toEqual([kept]);
      expect(await storage.linkedIdentities.listForUser(tenant.id, bob.id)).toEqual([]);

      await storage.linkedIdentities.insert(linkedIdentityRow(apple, bob.id));
      await storage.linkedIdentities.deleteForConnection(tenant.id, apple.id);
      expect(await storage.linkedIdentities.listForUser(tenant.id, alice.id)).toEqual([]);
      await storage.linkedIdentities.insert(linkedIdentityRow(apple, bob.id));
      await storage.users.delete(tenant.id, bob.id);
      expect(await storage.linkedIdentities.listForUser(tenant.id, bob.id)).toEqual([]);
    });
  });
}
