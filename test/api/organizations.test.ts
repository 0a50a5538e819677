import { describe, expect, it } from "vitest";
import { expectProblem, json } from "./helpers";
import { addMember, auditTypes, orgWorld } from "./organization-helpers";

interface OrgBody {
  id: string;
  name: string;
  slug: string;
  role?: string;
}

describe("organizations: create, list, update, delete", { timeout: 30_000 }, () => {
  it("the creator becomes owner; list mine shows it with my role; update and delete write audit events", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const created = await world.as(owner.token, "/organizations", { body: { name: "Acme Inc.", metadata: { plan: "team" } } });
    expect(created.status).toBe(201);
    const org = await json<OrgBody>(created);
    expect(org).toMatchObject({ name: "Acme Inc.", slug: "acme-inc", role: "owner" });

    const mine = await json<{ data: OrgBody[] }>(await world.as(owner.token, "/organizations"));
    expect(mine.data.map((o) => [o.id, o.role])).toEqual([[org.id, "owner"]]);

    const patched = await world.as(owner.token, `/organizations/${org.id}`, { method: "PATCH", body: { name: "Acme", slug: "acme" } });
    expect(await json<OrgBody>(patched)).toMatchObject({ name: "Acme", slug: "acme" });
    expect((await world.as(owner.token, `/organizations/${org.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await world.as(owner.token, `/organizations/${org.id}`), 404, "not_found");
    expect((await json<{ data: OrgBody[] }>(await world.as(owner.token, "/organizations"))).data).toEqual([]);
    expect(await auditTypes(world)).toEqual(
      expect.arrayContaining(["organization.created", "organization.updated", "organization.deleted"]),
    );
  });

  it("a taken slug is 409 when given, and gets a suffix when derived from the name", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    expect((await world.as(owner.token, "/organizations", { body: { name: "Dup", slug: "dup-org" } })).status).toBe(201);
    await expectProblem(await world.as(owner.token, "/organizations", { body: { name: "Dup", slug: "dup-org" } }), 409, "organization_slug_taken");
    const a = await json<OrgBody>(await world.as(owner.token, "/organizations", { body: { name: "Same Name" } }));
    const b = await json<OrgBody>(await world.as(owner.token, "/organizations", { body: { name: "Same Name" } }));
    expect(a.slug).toBe("same-name");
    expect(b.slug).toMatch(/^same-name-[a-z0-9]+$/);
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const body = await expectProblem(await world.as(owner.token, "/organizations", { body: { name: "", slug: "Bad Slug", extra: 1 } }), 400, "validation_failed");
    expect((body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(["extra", "name", "slug"]);
    expect((await json<{ data: OrgBody[] }>(await world.as(owner.token, "/organizations"))).data).toEqual([]);
  });

  it("needs a signed-in user; non-members get 404; members without the permission 403", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const viewer = await world.user();
    const stranger = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, viewer, "viewer");
    await expectProblem(await world.api.call(`${world.tenant.base}/organizations`), 401, "unauthorized");
    await expectProblem(await world.as(stranger.token, `/organizations/${org.id}`), 404, "not_found");
    expect((await world.as(viewer.token, `/organizations/${org.id}`)).status).toBe(200);
    await expectProblem(await world.as(viewer.token, `/organizations/${org.id}`, { method: "PATCH", body: { name: "x" } }), 403, "forbidden");
    await expectProblem(await world.as(viewer.token, `/organizations/${org.id}/members`), 403, "forbidden");
    await expectProblem(await world.as(viewer.token, `/organizations/${org.id}`, { method: "DELETE" }), 403, "forbidden");
  });
});

describe("members, roles, last owner, transfer, leave", { timeout: 30_000 }, () => {
  it("admins manage members but cannot touch ownership; the last owner can neither leave nor be demoted", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const admin = await world.user();
    const member = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, admin, "admin");
    await addMember(world, org.id, member, "member");
    const members = await json<{ data: { user_id: string; role: string; email: string }[] }>(await world.as(member.token, `/organizations/${org.id}/members`));
    expect(members.data.map((m) => [m.user_id, m.role])).toEqual([
      [owner.id, "owner"],
      [admin.id, "admin"],
      [member.id, "member"],
    ]);

    const patch = (token: string, userId: string, role: string) =>
      world.as(token, `/organizations/${org.id}/members/${userId}`, { method: "PATCH", body: { role } });
    expect(await json(await patch(admin.token, member.id, "viewer"))).toEqual({ user_id: member.id, role: "viewer" });
    await expectProblem(await patch(member.token, admin.id, "viewer"), 403, "forbidden");
    await expectProblem(await patch(admin.token, member.id, "owner"), 403, "forbidden");
    await expectProblem(await patch(admin.token, owner.id, "member"), 403, "forbidden");
    const unknown = await expectProblem(await patch(admin.token, member.id, "wizard"), 400, "validation_failed");
    expect(JSON.stringify(unknown)).toContain("unknown_role");

    await expectProblem(await patch(owner.token, owner.id, "admin"), 409, "last_owner");
    await expectProblem(await world.as(owner.token, `/organizations/${org.id}/leave`, { method: "POST" }), 409, "last_owner");
    await expectProblem(await world.admin(`/organizations/${org.id}/members/${owner.id}`, { method: "DELETE" }), 409, "last_owner");

    // With a second owner, the first may step down.
    expect((await patch(owner.token, admin.id, "owner")).status).toBe(200);
    expect((await patch(owner.token, owner.id, "member")).status).toBe(200);
    await expectProblem(await patch(admin.token, admin.id, "admin"), 409, "last_owner");
    expect(await auditTypes(world)).toEqual(expect.arrayContaining(["membership.created", "membership.updated"]));
  });

  it("transfer makes the target owner and the caller admin; then the old owner may leave", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const next = await world.user();
    const outsider = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, next, "member");
    const transfer = (token: string, userId: string) =>
      world.as(token, `/organizations/${org.id}/transfer-ownership`, { body: { user_id: userId } });
    await expectProblem(await transfer(next.token, next.id), 403, "forbidden");
    await expectProblem(await transfer(owner.token, outsider.id), 404, "not_found");
    expect((await transfer(owner.token, next.id)).status).toBe(204);
    const roles = await json<{ data: { user_id: string; role: string }[] }>(await world.as(next.token, `/organizations/${org.id}/members`));
    expect(Object.fromEntries(roles.data.map((m) => [m.user_id, m.role]))).toEqual({ [owner.id]: "admin", [next.id]: "owner" });
    expect((await world.as(owner.token, `/organizations/${org.id}/leave`, { method: "POST" })).status).toBe(204);
    expect((await json<{ data: unknown[] }>(await world.as(owner.token, "/organizations"))).data).toEqual([]);
    expect(await auditTypes(world)).toEqual(expect.arrayContaining(["organization.ownership_transferred", "membership.deleted"]));
  });

  it("members are removed by managers; a removed member loses access", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const member = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, member, "member");
    await expectProblem(await world.admin(`/organizations/${org.id}/members`, { body: { user_id: member.id, role: "member" } }), 409, "already_member");
    expect((await world.as(owner.token, `/organizations/${org.id}/members/${member.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await world.as(member.token, `/organizations/${org.id}`), 404, "not_found");
    await expectProblem(await world.as(owner.token, `/organizations/${org.id}/members/${member.id}`, { method: "DELETE" }), 404, "not_found");
  });
});

describe("organizations: management API and tenant isolation", { timeout: 30_000 }, () => {
  it("lists every organization, creates one for a user, and never crosses tenants", async () => {
    const world = await orgWorld();
    const other = await orgWorld();
    const owner = await world.user();
    const foreign = await other.user();
    const mine = await world.createOrg(owner);
    const created = await world.admin("/organizations", { body: { name: "Made by admin", owner_user_id: owner.id } });
    expect(created.status).toBe(201);
    const all = await json<{ data: OrgBody[] }>(await world.admin("/organizations"));
    expect(all.data.map((o) => o.id)).toEqual([(await json<OrgBody>(created)).id, mine.id]);

    await expectProblem(await other.admin(`/organizations/${mine.id}`), 404, "not_found");
    await expectProblem(await other.admin(`/organizations/${mine.id}/members`, { body: { user_id: foreign.id, role: "member" } }), 404, "not_found");
    await expectProblem(await world.admin(`/organizations/${mine.id}/members`, { body: { user_id: foreign.id, role: "member" } }), 404, "not_found");
    await expectProblem(await world.admin("/organizations", { body: { name: "x", owner_user_id: foreign.id } }), 404, "not_found");
    // A token of another tenant is not accepted here at all.
    expect((await world.as(foreign.token, `/organizations/${mine.id}`)).status).toBe(401);
    expect((await json<{ data: OrgBody[] }>(await other.admin("/organizations"))).data).toEqual([]);
  });
});
