import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { expectProblem, json, type TokenBody } from "./helpers";
import { addMember, auditTypes, orgWorld } from "./organization-helpers";

interface SwitchBody {
  access_token: string;
  organization_id: string | null;
  org_role: string | null;
}

describe("custom roles and the active organization in tokens", { timeout: 30_000 }, () => {
  it("custom roles: built-ins listed, reserved keys refused, permissions validated, role_in_use guards deletion", async () => {
    const world = await orgWorld();
    const roles = await json<{ data: { key: string; built_in: boolean }[] }>(await world.admin("/roles"));
    expect(roles.data.map((r) => r.key)).toEqual(["owner", "admin", "member", "viewer"]);
    await expectProblem(await world.admin("/roles", { body: { key: "admin", name: "A", permissions: [] } }), 400, "validation_failed");
    const bad = await expectProblem(await world.admin("/roles", { body: { key: "billing", name: "Billing", permissions: ["invoices"] } }), 400, "validation_failed");
    expect(JSON.stringify(bad)).toContain("permissions.0");
    const created = await world.admin("/roles", { body: { key: "billing", name: "Billing", permissions: ["invoices:*", "invoices:read", "organization:read"] } });
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ key: "billing", built_in: false, permissions: ["invoices:*", "invoices:read", "organization:read"] });
    await expectProblem(await world.admin("/roles", { body: { key: "billing", name: "Again", permissions: [] } }), 409, "conflict");

    const owner = await world.user();
    const clerk = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, clerk, "billing");
    await expectProblem(await world.admin("/roles/billing", { method: "DELETE" }), 409, "role_in_use");
    const updated = await world.admin("/roles/billing", { method: "PUT", body: { name: "Billing", permissions: ["invoices:read"] } });
    expect(await json(updated)).toMatchObject({ permissions: ["invoices:read"] });
    // Without organization:read the custom role cannot even read the organization.
    await expectProblem(await world.as(clerk.token, `/organizations/${org.id}`), 403, "forbidden");
    await expectProblem(await world.admin("/roles/owner", { method: "DELETE" }), 403, "forbidden");
    expect(await auditTypes(world)).toEqual(expect.arrayContaining(["role.created", "role.updated"]));
  });

  it("switching puts org_id, org_role and (when enabled) permissions in the token; refresh keeps them", async () => {
    const world = await orgWorld();
    await world.admin("/roles", { body: { key: "editor", name: "Editor", permissions: ["documents:edit", "organization:read"] } });
    expect((await world.admin("/settings", { method: "PATCH", body: { organizations: { permissions_in_token: true } } })).status).toBe(200);
    const owner = await world.user();
    const editor = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, editor, "editor");

    const switched = await world.as(editor.token, "/sessions/active-organization", { body: { organization_id: org.id } });
    const body = await json<SwitchBody>(switched);
    expect(body).toMatchObject({ organization_id: org.id, org_role: "editor" });
    expect(decodeJwt(body.access_token)).toMatchObject({ org_id: org.id, org_role: "editor", permissions: ["documents:edit", "organization:read"] });

    const refreshed = await json<TokenBody>(await world.api.call(`${world.tenant.base}/sessions/refresh`, { body: { refresh_token: editor.refreshToken } }));
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ org_id: org.id, org_role: "editor" });

    const cleared = await json<SwitchBody>(await world.as(refreshed.access_token, "/sessions/active-organization", { body: { organization_id: null } }));
    expect(cleared.organization_id).toBeNull();
    expect(decodeJwt(cleared.access_token).org_id).toBeUndefined();
    expect(await auditTypes(world)).toContain("session.organization_switched");
  });

  it("without the setting the token has no permissions; a non-member cannot switch", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const stranger = await world.user();
    const org = await world.createOrg(owner);
    const body = await json<SwitchBody>(await world.as(owner.token, "/sessions/active-organization", { body: { organization_id: org.id } }));
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({ org_id: org.id, org_role: "owner" });
    expect(claims.permissions).toBeUndefined();
    await expectProblem(await world.as(stranger.token, "/sessions/active-organization", { body: { organization_id: org.id } }), 404, "not_found");
  });

  it("removal from the organization, a role change and deletion show at the next refresh", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const member = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, member, "member");
    await world.as(member.token, "/sessions/active-organization", { body: { organization_id: org.id } });
    await world.as(owner.token, "/sessions/active-organization", { body: { organization_id: org.id } });
    const refresh = async (refreshToken: string) =>
      json<TokenBody>(await world.api.call(`${world.tenant.base}/sessions/refresh`, { body: { refresh_token: refreshToken } }));

    await world.as(owner.token, `/organizations/${org.id}/members/${member.id}`, { method: "PATCH", body: { role: "viewer" } });
    const demoted = await refresh(member.refreshToken);
    expect(decodeJwt(demoted.access_token)).toMatchObject({ org_id: org.id, org_role: "viewer" });

    await world.as(owner.token, `/organizations/${org.id}/members/${member.id}`, { method: "DELETE" });
    const removed = await refresh(demoted.refresh_token);
    expect(decodeJwt(removed.access_token).org_id).toBeUndefined();
    expect(decodeJwt(removed.access_token).org_role).toBeUndefined();

    expect((await world.as(owner.token, `/organizations/${org.id}`, { method: "DELETE" })).status).toBe(204);
    const afterDelete = await refresh(owner.refreshToken);
    expect(decodeJwt(afterDelete.access_token).org_id).toBeUndefined();
  });
});
