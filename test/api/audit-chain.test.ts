import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, type AuditEventBody, clockedApi, createSignedInUser, uniqueEmail } from "./admin-helpers";
import { chainRows, rawSql, rowAt, settledSignUp, settledTenant, tenantWithHistory, verifyChain } from "./audit-chain-helpers";
import { call, expectProblem, freshIp, json, signUp, STRONG_PASSWORD, type TestTenant, type TokenBody } from "./helpers";

const RACERS = 20;

describe("audit hash chain through the API", { timeout: 30_000 }, () => {
  it(`${RACERS} concurrent sign-ups, then ${RACERS} concurrent updates, land on one unforked chain that verifies`, async () => {
    const tenant = await settledTenant();
    // Through an API whose calls return once their work after the response (mail, its event, sealing) is done.
    const api = clockedApi();
    const signedUp = await Promise.all(
      Array.from({ length: RACERS }, async () => {
        const response = await api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail("racer"), password: STRONG_PASSWORD }, ip: freshIp() });
        expect(response.status).toBe(201);
        return json<TokenBody>(response);
      }),
    );
    const ids = signedUp.map((tokens) => tokens.user?.id ?? "");
    const updates = await Promise.all(ids.map((id, i) => api.call(`${tenant.base}/admin/users/${id}`, { method: "PATCH", token: tenant.secretKey, body: { name: `Racer ${i}` } })));
    expect(updates.map((response) => response.status)).toEqual(ids.map(() => 200));

    const verification = await verifyChain(tenant);
    const rows = await chainRows(tenant.id);
    expect(rows.map((row) => row.seq)).toEqual(rows.map((_, i) => i + 1));
    const events = await allAuditEvents(tenant);
    expect(events.length).toBe(rows.length);
    expect(new Set(events.map((event) => event.id))).toEqual(new Set(rows.map((row) => row.id)));
    expect(events.filter((event) => event.type === "user.created").map((event) => event.subject_id).sort()).toEqual([...ids].sort());
    expect(events.filter((event) => event.type === "user.updated")).toHaveLength(RACERS);

    const last = rowAt(rows, rows.length);
    expect(verification).toEqual({
      intact: true,
      checked: rows.length,
      pseudonymised: 0,
      head: { seq: rows.length, hash: last.hash },
      unsealed: 0,
      first_broken: null,
    });
  }, 60_000);

  it("an edit of one row's data is reported at that row as personal_digest_mismatch", async () => {
    const tenant = await tenantWithHistory();
    const target = rowAt(await chainRows(tenant.id), 4);
    await rawSql("update audit_events set data = ? where id = ?", ['{"tampered":true}', target.id]);
    expect(await verifyChain(tenant)).toMatchObject({
      intact: false,
      checked: 3,
      head: { seq: 3 },
      first_broken: { seq: 4, id: target.id, reason: "personal_digest_mismatch", expected_seq: 4 },
    });
  });

  it("an edit of a row's IP is a personal_digest_mismatch; of its type or time, a hash_mismatch", async () => {
    const byIp = await tenantWithHistory();
    const ipRow = rowAt(await chainRows(byIp.id), 2);
    await rawSql("update audit_events set ip = ? where id = ?", ["192.0.2.66", ipRow.id]);
    expect((await verifyChain(byIp)).first_broken).toEqual({ seq: 2, id: ipRow.id, reason: "personal_digest_mismatch", expected_seq: 2 });

    const byType = await tenantWithHistory();
    const typeRow = rowAt(await chainRows(byType.id), 5);
    await rawSql("update audit_events set type = ? where id = ?", ["user.unbanned", typeRow.id]);
    expect((await verifyChain(byType)).first_broken).toEqual({ seq: 5, id: typeRow.id, reason: "hash_mismatch", expected_seq: 5 });

    const byTime = await tenantWithHistory();
    const timeRow = rowAt(await chainRows(byTime.id), 3);
    await rawSql("update audit_events set created_at = created_at - 1 where id = ?", [timeRow.id]);
    expect((await verifyChain(byTime)).first_broken).toEqual({ seq: 3, id: timeRow.id, reason: "hash_mismatch", expected_seq: 3 });
  });

  it("a deleted middle row shows as a seq gap at the row after it", async () => {
    const tenant = await tenantWithHistory();
    const rows = await chainRows(tenant.id);
    await rawSql("delete from audit_events where id = ?", [rowAt(rows, 4).id]);
    expect(await verifyChain(tenant)).toMatchObject({
      intact: false,
      checked: 3,
      first_broken: { seq: 5, id: rowAt(rows, 5).id, reason: "seq_gap", expected_seq: 4 },
    });
  });

  it("two rows swapped in place (seq exchanged) break the link at the first of them", async () => {
    const tenant = await tenantWithHistory();
    const rows = await chainRows(tenant.id);
    const [third, fourth] = [rowAt(rows, 3), rowAt(rows, 4)];
    await rawSql("update audit_events set seq = ? where id = ?", [-1, third.id]);
    await rawSql("update audit_events set seq = ? where id = ?", [3, fourth.id]);
    await rawSql("update audit_events set seq = ? where id = ?", [4, third.id]);
    expect(await verifyChain(tenant)).toMatchObject({
      intact: false,
      checked: 2,
      first_broken: { seq: 3, id: fourth.id, reason: "prev_hash_mismatch", expected_seq: 3 },
    });
  });

  it("two rows with their personal content swapped are caught at the first of them", async () => {
    const tenant = await tenantWithHistory();
    const rows = await chainRows(tenant.id);
    // Two user.created rows name different users: swap who each is about.
    const [first, second] = rows.filter((row) => row.type === "user.created");
    if (!first || !second) throw new Error("expected two user.created rows");
    const subjects = await rawSql("select id, subject_id from audit_events where id in (?, ?)", [first.id, second.id]);
    const subjectOf = (id: string) => String(subjects.find((row) => row.id === id)?.subject_id);
    expect(subjectOf(first.id)).not.toBe(subjectOf(second.id));
    await rawSql("update audit_events set subject_id = ? where id = ?", [subjectOf(second.id), first.id]);
    await rawSql("update audit_events set subject_id = ? where id = ?", [subjectOf(first.id), second.id]);
    expect((await verifyChain(tenant)).first_broken).toEqual({ seq: first.seq, id: first.id, reason: "personal_digest_mismatch", expected_seq: first.seq });
  });

  it("each tenant has its own chain: numbering starts at 1, and tampering with one leaves the other intact", async () => {
    const [a, b] = [await tenantWithHistory(), await tenantWithHistory(2)];
    const rowsOfB = await chainRows(b.id);
    expect(rowsOfB[0]?.seq).toBe(1);
    await rawSql("delete from audit_events where id = ?", [rowAt(await chainRows(a.id), 2).id]);
    expect((await verifyChain(a)).first_broken).toMatchObject({ seq: 3, reason: "seq_gap", expected_seq: 2 });
    expect(await verifyChain(b)).toMatchObject({ intact: true, checked: rowsOfB.length, head: { seq: rowsOfB.length }, first_broken: null });
    // New events keep each chain going from its own head.
    await signUp(b);
    expect((await verifyChain(b)).checked).toBeGreaterThan(rowsOfB.length);
    expect((await verifyChain(a)).intact).toBe(false);
  });
});

const HOUR = 3_600_000;

/** The NDJSON export of `tenant` with `query`: checks the wire format and returns one parsed event per line. */
async function exportLines(tenant: TestTenant, query: Record<string, string> = {}): Promise<AuditEventBody[]> {
  const response = await admin(tenant, `/audit-events/export?${new URLSearchParams(query)}`);
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/x-ndjson");
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  // Read as bytes: workerd warns when .text() meets a content type it does not know as text.
  const text = new TextDecoder().decode(await response.arrayBuffer());
  if (text === "") return [];
  expect(text.endsWith("\n")).toBe(true);
  const lines = text.slice(0, -1).split("\n");
  for (const line of lines) expect(line).toMatch(/^\{.*\}$/);
  return lines.map((line) => JSON.parse(line) as AuditEventBody);
}

describe("GET /admin/audit-events/export (NDJSON)", { timeout: 30_000 }, () => {
  it("streams every event, one JSON object per line, newest first, across pages", async () => {
    const tenant = await settledTenant();
    // More than one export page (100 events): one sign-up, then renames, ten at a time.
    const id = (await signUp(tenant)).tokens.user?.id ?? "";
    for (let batch = 0; batch < 10; batch++) {
      const renames = Array.from({ length: 10 }, (_, i) => admin(tenant, `/users/${id}`, { method: "PATCH", body: { name: `Name ${batch}-${i}` } }));
      expect((await Promise.all(renames)).map((response) => response.status)).toEqual(Array.from({ length: 10 }, () => 200));
    }
    const listed = await allAuditEvents(tenant);
    expect(listed.length).toBeGreaterThan(100);
    const lines = await exportLines(tenant);
    expect(lines).toEqual(listed);
    const times = lines.map((event) => Date.parse(event.created_at));
    expect(times).toEqual([...times].sort((x, y) => y - x));
  }, 60_000);

  it("filters by type, actor, subject and a from (inclusive) / to (exclusive) time range", async () => {
    const tenant = await settledTenant();
    const { clock, call: send } = clockedApi();
    const signUpAt = async (email: string) => {
      const response = await send(`${tenant.base}/identities`, { body: { email, password: STRONG_PASSWORD }, ip: freshIp() });
      expect(response.status).toBe(201);
      return (await json<TokenBody>(response)).user?.id ?? "";
    };
    const t0 = clock.now();
    const early = await signUpAt(uniqueEmail("early"));
    clock.advance(HOUR);
    const t1 = clock.now();
    const middle = await signUpAt(uniqueEmail("middle"));
    clock.advance(HOUR);
    const t2 = clock.now();
    const renamed = await send(`${tenant.base}/admin/users/${early}`, { method: "PATCH", token: tenant.secretKey, body: { name: "Renamed" } });
    expect(renamed.status).toBe(200);

    const inWindow = await exportLines(tenant, { from: new Date(t1).toISOString(), to: new Date(t2).toISOString() });
    expect(inWindow.length).toBeGreaterThan(0);
    expect(inWindow.every((event) => Date.parse(event.created_at) === t1)).toBe(true);
    expect(inWindow.map((event) => event.type)).toContain("user.created");
    expect(inWindow.some((event) => event.subject_id === middle)).toBe(true);
    // `from` is inclusive, `to` exclusive: [t0, t1) holds the early sign-up only.
    const before = await exportLines(tenant, { from: new Date(t0).toISOString(), to: new Date(t1).toISOString() });
    expect(before.length).toBeGreaterThan(0);
    expect(before.every((event) => Date.parse(event.created_at) === t0)).toBe(true);

    const updates = await exportLines(tenant, { type: "user.updated" });
    expect(updates.map((event) => [event.type, event.subject_id])).toEqual([["user.updated", early]]);

    const aboutEarly = await exportLines(tenant, { subject_id: early });
    expect(aboutEarly.map((event) => event.type)).toEqual(expect.arrayContaining(["user.updated", "user.created"]));
    expect(aboutEarly.every((event) => event.subject_id === early)).toBe(true);

    const byMiddle = await exportLines(tenant, { actor_id: middle });
    expect(byMiddle.length).toBeGreaterThan(0);
    expect(byMiddle.every((event) => event.actor.id === middle)).toBe(true);
    expect(byMiddle).toEqual(await allAuditEvents(tenant, { actor_id: middle }));

    expect(await exportLines(tenant, { type: "user.banned" })).toEqual([]);
  }, 30_000);

  it("needs the tenant's secret key: not none, not a user's token, not another tenant's key", async () => {
    const [tenant, other] = [await settledTenant(), await settledTenant()];
    const path = `${tenant.base}/admin/audit-events/export`;
    await expectProblem(await call(path), 401, "unauthorized");
    const { tokens } = await createSignedInUser(tenant, "user");
    await expectProblem(await call(path, { token: tokens.access_token }), 403, "forbidden");
    await expectProblem(await call(path, { token: other.secretKey }), 401, "invalid_api_key");
    await expectProblem(await call(`${tenant.base}/admin/audit-events/verify`, { token: tokens.access_token }), 403, "forbidden");
    expect((await call(path, { token: tenant.secretKey })).status).toBe(200);
  });
});
