import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { allAuditEvents } from "./admin-helpers";
import { createTenant, json, STRONG_PASSWORD, type TestTenant, type TokenBody, uniqueSlug } from "./helpers";
import { webhookWorld } from "./webhook-helpers";

type World = ReturnType<typeof webhookWorld>;
interface Payload {
  type: string;
  data: Record<string, unknown>;
}

async function subscribe(world: World, tenant: TestTenant, eventTypes: string[]) {
  const url = "https://hooks.example.com/in";
  const response = await world.call(`${tenant.base}/admin/webhooks/endpoints`, { token: tenant.secretKey, body: { url, event_types: eventTypes } });
  expect(response.status).toBe(201);
  return json<{ id: string; secret: string }>(response);
}

async function signUp(world: World, tenant: TestTenant) {
  const email = `w-${uniqueSlug("u")}@example.com`;
  const response = await world.call(`${tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD, name: "Ada Lovelace" } });
  expect(response.status).toBe(201);
  const tokens = await json<TokenBody & { user: { id: string } }>(response);
  return { email, tokens, userId: tokens.user.id };
}

/** Delivers what is queued and returns the verified payloads the receiver got, in order. */
async function received(world: World, secret: string): Promise<Payload[]> {
  await world.drain();
  return world.receiver.received.map((request) => new Webhook(secret).verify(request.body, request.headers) as Payload);
}

describe("webhook event payloads", () => {
  it("a sign-in is session.created with the new session's id, like a sign-up", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { secret } = await subscribe(world, tenant, ["session.created"]);
    const { email, tokens, userId } = await signUp(world, tenant);
    const signIn = await world.call(`${tenant.base}/sessions`, { body: { email, password: STRONG_PASSWORD } });
    expect(signIn.status).toBe(200);
    const session = await json<TokenBody>(signIn);

    const payloads = await received(world, secret);
    expect(payloads.map((payload) => [payload.type, payload.data.session_id])).toEqual([
      ["session.created", tokens.session_id],
      ["session.created", session.session_id],
    ]);
    expect(payloads[1]?.data).toMatchObject({ subject_id: userId, amr: ["pwd"] });
  });

  it("user.deleted by an admin names the real user id to the receiver while the audit row keeps the pseudonym", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { secret } = await subscribe(world, tenant, ["user.deleted"]);
    const { email, userId } = await signUp(world, tenant);
    const deleted = await world.call(`${tenant.base}/admin/users/${userId}`, { method: "DELETE", token: tenant.secretKey });
    expect(deleted.status).toBe(204);

    const [payload, ...more] = await received(world, secret);
    expect(more).toEqual([]);
    expect(payload).toMatchObject({ type: "user.deleted", data: { subject_id: userId, actor: { type: "api_key" }, self: false } });
    expect(Object.keys(payload?.data ?? {}).sort()).toEqual(["actor", "self", "subject_id"]);
    const body = world.receiver.received[0]?.body ?? "";
    for (const personal of [email, "Ada Lovelace", "anon_"]) expect(body).not.toContain(personal);

    const [row] = await allAuditEvents(tenant, { type: "user.deleted" });
    expect(row?.subject_id).toMatch(/^anon_/);
    expect(JSON.stringify(row)).not.toContain(userId);
  });

  it("a user who erases themself (DELETE /me) is named by their real id in the webhook and by a pseudonym in the audit log", async () => {
    const world = webhookWorld();
    const tenant = await createTenant();
    const { secret } = await subscribe(world, tenant, ["user.deleted"]);
    const { tokens, userId } = await signUp(world, tenant);
    const erased = await world.call(`${tenant.base}/me`, { method: "DELETE", token: tokens.access_token });
    expect(erased.status).toBe(204);

    const [payload] = await received(world, secret);
    expect(payload).toEqual({
      type: "user.deleted",
      timestamp: expect.any(String),
      data: { subject_id: userId, actor: { type: "user", id: userId }, self: true },
    });
    const [row] = await allAuditEvents(tenant, { type: "user.deleted" });
    expect(row?.subject_id).toMatch(/^anon_/);
    expect(JSON.stringify(row)).not.toContain(userId);
  });
});
