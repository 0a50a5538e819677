import { describe, expect, it } from "vitest";
import { mailTo } from "./email-helpers";
import { expectProblem, freshIp, json, STRONG_PASSWORD, type TokenBody } from "./helpers";
import { addMember, auditTypes, invitationToken, orgWorld } from "./organization-helpers";

const DAY = 86_400_000;

interface InvitationBody {
  id: string;
  email: string;
  role: string;
  status: string;
  expires_at: string;
}

describe("organization invitations", { timeout: 30_000 }, () => {
  it("an existing user with the invited, verified address accepts once and becomes a member with the role", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const invitee = await world.user();
    const org = await world.createOrg(owner, "Invite Co");
    const created = await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: invitee.email.toUpperCase(), role: "admin" } });
    expect(created.status).toBe(201);
    const invitation = await json<InvitationBody>(created);
    expect(invitation).toMatchObject({ role: "admin", status: "pending" });
    expect(Date.parse(invitation.expires_at) - world.api.clock.now()).toBe(7 * DAY);
    expect(JSON.stringify(invitation)).not.toContain("token");
    const [mail] = await mailTo(world.api, invitee.email.toUpperCase());
    expect(mail?.subject).toBe("You are invited to join Invite Co on " + `Tenant ${world.tenant.slug}`);
    const token = await invitationToken(world, invitee.email.toUpperCase());

    const listed = await json<{ data: InvitationBody[] }>(await world.as(owner.token, `/organizations/${org.id}/invitations`));
    expect(listed.data.map((i) => i.id)).toEqual([invitation.id]);

    const accepted = await world.as(invitee.token, "/invitations/accept", { body: { token } });
    expect(await json(accepted)).toEqual({ organization_id: org.id, role: "admin" });
    await expectProblem(await world.as(invitee.token, "/invitations/accept", { body: { token } }), 400, "invalid_invitation");
    expect((await json<{ data: unknown[] }>(await world.as(owner.token, `/organizations/${org.id}/invitations`))).data).toEqual([]);
    const mine = await json<{ data: { id: string; role: string }[] }>(await world.as(invitee.token, "/organizations"));
    expect(mine.data).toEqual([expect.objectContaining({ id: org.id, role: "admin" })]);
    expect(await auditTypes(world)).toEqual(expect.arrayContaining(["invitation.created", "invitation.accepted", "membership.created"]));
  });

  it("a new user signs up with the invited address, verifies it, then accepts", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const org = await world.createOrg(owner);
    const email = `new-${Date.now()}@example.com`;
    expect((await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email } })).status).toBe(201);
    const token = await invitationToken(world, email);
    const signUp = await world.api.call(`${world.tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
    const tokens = await json<TokenBody>(signUp);
    await expectProblem(await world.as(tokens.access_token, "/invitations/accept", { body: { token } }), 403, "email_not_verified");
    // The refused attempt did not burn the invitation.
    expect((await world.admin(`/users/${tokens.user?.id}`, { method: "PATCH", body: { email_verified: true } })).status).toBe(200);
    const accepted = await world.as(tokens.access_token, "/invitations/accept", { body: { token } });
    expect(await json(accepted)).toEqual({ organization_id: org.id, role: "member" });
  });

  it("the wrong account is refused without using up the invitation", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const invitee = await world.user();
    const other = await world.user();
    const org = await world.createOrg(owner);
    await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: invitee.email } });
    const token = await invitationToken(world, invitee.email);
    await expectProblem(await world.as(other.token, "/invitations/accept", { body: { token } }), 403, "invitation_email_mismatch");
    expect((await world.as(invitee.token, "/invitations/accept", { body: { token } })).status).toBe(200);
  });

  it("expires after the configured lifetime (injected clock)", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const invitee = await world.user();
    const org = await world.createOrg(owner);
    expect((await world.admin("/settings", { method: "PATCH", body: { organizations: { invitation_ttl_seconds: 3600 } } })).status).toBe(200);
    const created = await json<InvitationBody>(await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: invitee.email } }));
    expect(Date.parse(created.expires_at) - world.api.clock.now()).toBe(3_600_000);
    const token = await invitationToken(world, invitee.email);
    world.api.clock.advance(3_600_000);
    const fresh = await json<TokenBody>(await world.api.call(`${world.tenant.base}/sessions/refresh`, { body: { refresh_token: invitee.refreshToken } }));
    await expectProblem(await world.as(fresh.access_token, "/invitations/accept", { body: { token } }), 400, "invalid_invitation");
  });

  it("a revoked invitation's link stops working; revoking twice is refused", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const invitee = await world.user();
    const org = await world.createOrg(owner);
    const created = await json<InvitationBody>(await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: invitee.email } }));
    const token = await invitationToken(world, invitee.email);
    const revoke = () => world.as(owner.token, `/organizations/${org.id}/invitations/${created.id}`, { method: "DELETE" });
    expect((await revoke()).status).toBe(204);
    await expectProblem(await revoke(), 400, "invalid_invitation");
    await expectProblem(await world.as(invitee.token, "/invitations/accept", { body: { token } }), 400, "invalid_invitation");
    expect(await auditTypes(world)).toContain("invitation.revoked");
  });

  it("only invitations:manage may invite; only owners may invite owners; members are not invited twice", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const admin = await world.user();
    const member = await world.user();
    const org = await world.createOrg(owner);
    await addMember(world, org.id, admin, "admin");
    await addMember(world, org.id, member, "member");
    const invite = (token: string, body: Record<string, unknown>) => world.as(token, `/organizations/${org.id}/invitations`, { body });
    await expectProblem(await invite(member.token, { email: "x@example.com" }), 403, "forbidden");
    await expectProblem(await invite(admin.token, { email: "x@example.com", role: "owner" }), 403, "forbidden");
    await expectProblem(await invite(admin.token, { email: member.email }), 409, "already_member");
    const bad = await expectProblem(await invite(admin.token, { email: "not-an-email", role: "Nope" }), 400, "validation_failed");
    expect(JSON.stringify(bad)).toContain("email");
    expect((await invite(admin.token, { email: "y@example.com", role: "viewer" })).status).toBe(201);
  });

  it("of concurrent accepts, or an accept racing a revoke, exactly one wins", async () => {
    const world = await orgWorld();
    const owner = await world.user();
    const invitee = await world.user();
    const org = await world.createOrg(owner);
    await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: invitee.email } });
    const token = await invitationToken(world, invitee.email);
    const accepts = await Promise.all([1, 2, 3].map(() => world.as(invitee.token, "/invitations/accept", { body: { token } })));
    // The losers see the used link (400 invalid_invitation) or, if they looked after the winner committed, 409 already_member.
    expect(accepts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(accepts.every((r) => [200, 400, 409].includes(r.status))).toBe(true);

    const late = await world.user();
    const created = await json<InvitationBody>(await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: late.email } }));
    const lateToken = await invitationToken(world, late.email);
    const [accept, revoke] = await Promise.all([
      world.as(late.token, "/invitations/accept", { body: { token: lateToken } }),
      world.as(owner.token, `/organizations/${org.id}/invitations/${created.id}`, { method: "DELETE" }),
    ]);
    expect([accept.status, revoke.status].filter((status) => status < 300)).toHaveLength(1);
    const members = await json<{ data: { user_id: string }[] }>(await world.as(owner.token, `/organizations/${org.id}/members`));
    expect(members.data.some((m) => m.user_id === late.id)).toBe(accept.status === 200);
  });

  it("an invitation token of one tenant does nothing in another", async () => {
    const world = await orgWorld();
    const other = await orgWorld();
    const owner = await world.user();
    const org = await world.createOrg(owner);
    const stranger = await other.user();
    await world.as(owner.token, `/organizations/${org.id}/invitations`, { body: { email: stranger.email } });
    const token = await invitationToken(world, stranger.email);
    await expectProblem(await other.as(stranger.token, "/invitations/accept", { body: { token } }), 400, "invalid_invitation");
  });
});
