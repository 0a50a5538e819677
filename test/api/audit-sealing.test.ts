import { createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../workers/api/index";
import { storageFor } from "../../workers/api/storage";
import { allAuditEvents, clockedApi, uniqueEmail } from "./admin-helpers";
import { chainRows, rowAt, settledSignUp, settledTenant, tenantWithHistory, verifyChain } from "./audit-chain-helpers";
import { freshIp, STRONG_PASSWORD } from "./helpers";

const SIGN_UP_BURST = 64;

/**
 * Appends never contend (docs/audit.md): a burst of sign-ups in one tenant all
 * succeed, and the sealer links every event afterwards. A file of its own: on
 * the Postgres run each request holds a server connection for a while.
 */
describe("audit chain sealing: bursts, after the response, cron, verify", { timeout: 30_000 }, () => {
  it(`${SIGN_UP_BURST} parallel sign-ups in one tenant all answer 201, and every event ends up sealed in one intact chain`, async () => {
    const tenant = await settledTenant();
    const api = clockedApi();
    const responses = await Promise.all(
      Array.from({ length: SIGN_UP_BURST }, (_, i) => api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail(`burst${i}`), password: STRONG_PASSWORD }, ip: freshIp() })),
    );
    expect(responses.map((response) => response.status)).toEqual(responses.map(() => 201));
    const verification = await verifyChain(tenant);
    const events = await allAuditEvents(tenant);
    expect(events.filter((event) => event.type === "user.created")).toHaveLength(SIGN_UP_BURST);
    expect(verification).toMatchObject({ intact: true, checked: events.length, unsealed: 0, first_broken: null });
    expect((await chainRows(tenant.id)).map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
  }, 60_000);

  it("requests seal their own events after the response, before any verification", async () => {
    const tenant = await settledTenant();
    await settledSignUp(tenant);
    const storage = storageFor(env);
    expect(await storage.audit.countUnsealed(tenant.id)).toBe(0);
    const events = await allAuditEvents(tenant);
    expect(events.map((event) => event.type)).toEqual(expect.arrayContaining(["tenant.created", "user.created", "email.verification_sent"]));
    expect((await chainRows(tenant.id)).map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
  });

  it("the cron job seals rows appended behind the API", async () => {
    const tenant = await settledTenant();
    await settledSignUp(tenant);
    expect(await verifyChain(tenant)).toMatchObject({ intact: true, unsealed: 0 });
    const storage = storageFor(env);
    const id = `evt_cron_${tenant.id}`;
    await storage.audit.append({ id, tenantId: tenant.id, type: "user.updated", actorType: "system", actorId: null, subjectId: null, ip: null, userAgent: null, data: {}, createdAt: Date.now() });
    expect((await chainRows(tenant.id)).map((row) => row.id)).not.toContain(id);
    expect(await storage.audit.countUnsealed(tenant.id)).toBe(1);

    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/15 * * * *" }), env);
    expect(await storage.audit.countUnsealed(tenant.id)).toBe(0);
    const rows = await chainRows(tenant.id);
    expect(rowAt(rows, rows.length).id).toBe(id);
    expect(await verifyChain(tenant)).toMatchObject({ intact: true, checked: rows.length, unsealed: 0 });
  });

  it("an unsealed row is listed but outside the proof until sealed; verify seals it first", async () => {
    const tenant = await tenantWithHistory();
    const before = await chainRows(tenant.id);
    const id = `evt_pending_${tenant.id}`;
    await storageFor(env).audit.append({ id, tenantId: tenant.id, type: "user.updated", actorType: "system", actorId: null, subjectId: null, ip: null, userAgent: null, data: {}, createdAt: Date.now() });
    expect((await allAuditEvents(tenant)).map((event) => event.id)).toContain(id);
    expect(await chainRows(tenant.id)).toEqual(before);
    expect(await verifyChain(tenant)).toMatchObject({ intact: true, checked: before.length + 1, head: { seq: before.length + 1 }, unsealed: 0 });
  });

});
