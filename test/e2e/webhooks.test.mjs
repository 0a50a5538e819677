// Webhooks end to end (issue 6): the stack `npm start` runs (api worker and webhooks consumer in one
// `wrangler dev` session, joined by the local WEBHOOKS queue) delivering to a real HTTP receiver on
// 127.0.0.1, the signatures checked with the Standard Webhooks reference verifier.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { callApi, useStack } from "./stack-fixture.mjs";

const stack = useStack();
const admin = (pathname, options = {}) => callApi(stack, pathname, { ...options, token: stack.demo.secretKey });
const receiver = localReceiver();
before(() => receiver.listen());
after(() => receiver.close());

/** How long a real queue gets to move an event through fan-out and delivery on a local stack. */
const QUEUE_DEADLINE_MS = 20_000;

/**
 * An HTTP receiver on 127.0.0.1 that records every request and answers by path: `/reject-once` and
 * `/unavailable-once` answer 400 and 503 to their first request and 200 afterwards, every other path 200.
 */
function localReceiver() {
  const requests = [];
  const seen = new Map();
  const firstAnswer = { "/reject-once": 400, "/unavailable-once": 503 };
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "/";
      requests.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const count = (seen.get(path) ?? 0) + 1;
      seen.set(path, count);
      response.writeHead(count === 1 && firstAnswer[path] ? firstAnswer[path] : 200).end();
    });
  });
  return {
    requests,
    listen: () => new Promise((resolve) => server.listen(0, "127.0.0.1", resolve)),
    close: () => new Promise((resolve) => server.close(resolve)),
    url: (path) => `http://127.0.0.1:${server.address().port}${path}`,
    on: (path) => requests.filter((request) => request.path === path),
  };
}

/** Polls `read` until `accept` holds for its value, or fails at the deadline with the last value seen. */
async function eventually(read, accept, what, deadlineMs = QUEUE_DEADLINE_MS) {
  const deadline = Date.now() + deadlineMs;
  let last;
  while (Date.now() < deadline) {
    last = await read();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`${what}: not within ${deadlineMs} ms; last seen ${JSON.stringify(last)}`);
}

async function createEndpoint(path, eventTypes) {
  const created = await admin("/admin/webhooks/endpoints", { body: { url: receiver.url(path), event_types: eventTypes } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.match(created.body.secret, /^whsec_/);
  return created.body;
}

async function deliveriesOf(endpointId) {
  const log = await admin(`/admin/webhooks/endpoints/${endpointId}/deliveries`);
  assert.equal(log.status, 200);
  return log.body.data;
}

/** Verifies a received request with the endpoint's secret; returns the payload. */
function verified(secret, request) {
  return new Webhook(secret).verify(request.body, request.headers);
}

/** The first request at `path` whose payload passes `match`. */
const waitForRequest = (path, match, what) =>
  eventually(() => receiver.on(path).find((request) => match(JSON.parse(request.body))), (found) => found !== undefined, what);

test("sign-up, sign-in and erasure reach a local receiver as signed user.created, session.created and user.deleted", { timeout: 60_000 }, async () => {
  const endpoint = await createEndpoint("/events", ["user.created", "session.created", "user.deleted"]);
  const credentials = { email: "hooked@example.com", password: "a long and uncommon passphrase" };
  const signUp = await callApi(stack, "/identities", { body: credentials });
  assert.equal(signUp.status, 201);
  const userId = signUp.body.user.id;
  const signIn = await callApi(stack, "/sessions", { body: credentials });
  assert.equal(signIn.status, 200);

  const created = await waitForRequest("/events", (payload) => payload.type === "user.created", "user.created");
  const userCreated = verified(endpoint.secret, created);
  assert.equal(userCreated.data.subject_id, userId);
  assert.match(created.headers["webhook-id"], /^evt_/);

  // Sign-up opens a session too; this one is the sign-in's.
  const session = await waitForRequest("/events", (payload) => payload.data.session_id === signIn.body.session_id, "session.created");
  const sessionCreated = verified(endpoint.secret, session);
  assert.equal(sessionCreated.type, "session.created");
  assert.equal(sessionCreated.data.subject_id, userId);

  // The delivery log records each delivery (before erasure, which removes the deliveries naming the user).
  const log = await eventually(() => deliveriesOf(endpoint.id), (rows) => rows.filter((row) => row.status === "succeeded").length >= 3, "succeeded deliveries");
  const delivered = log.find((row) => row.event_id === created.headers["webhook-id"]);
  assert.equal(delivered.attempts, 1);
  assert.equal(delivered.last_status_code, 200);

  // Erasure: the receiver learns which user to erase (the audit log keeps only a pseudonym).
  assert.equal((await admin(`/admin/users/${userId}`, { method: "DELETE" })).status, 204);
  const deleted = await waitForRequest("/events", (payload) => payload.type === "user.deleted", "user.deleted");
  const erasure = verified(endpoint.secret, deleted).data;
  assert.equal(erasure.subject_id, userId);
  assert.deepEqual(Object.keys(erasure).sort(), ["actor", "self", "subject_id"]);
  assert.doesNotMatch(deleted.body, /hooked@example\.com|anon_/);

  // A signature under another secret, or over a changed body, does not verify.
  const otherSecret = (await createEndpoint("/unused", ["user.banned"])).secret;
  assert.throws(() => verified(otherSecret, created));
  assert.throws(() => verified(endpoint.secret, { ...created, body: created.body.replace(userId, "usr_someone_else") }));

  // After erasure only the user.deleted delivery (the real id, nothing else) remains in the log.
  const after = await eventually(() => deliveriesOf(endpoint.id), (rows) => rows.some((row) => row.event_type === "user.deleted" && row.status === "succeeded"), "user.deleted delivery");
  assert.deepEqual([...new Set(after.map((row) => row.event_type))], ["user.deleted"]);
});

test("a 503 is logged and its first retry scheduled with backoff", { timeout: 60_000 }, async () => {
  const endpoint = await createEndpoint("/unavailable-once", ["user.banned"]);
  const queued = await admin(`/admin/webhooks/endpoints/${endpoint.id}/test`, { method: "POST" });
  assert.equal(queued.status, 202);
  const row = await eventually(
    async () => (await deliveriesOf(endpoint.id)).find((delivery) => delivery.id === queued.body.delivery_id),
    (delivery) => delivery?.attempts === 1,
    "first attempt of the test event",
  );
  assert.equal(row.status, "pending");
  assert.equal(row.last_status_code, 503);
  assert.equal(row.last_error, "http_503");
  // retry-policy.ts: 30 s after the first attempt, jitter adding up to 25 %.
  const delay = (Date.parse(row.next_attempt_at) - Date.parse(row.last_attempt_at)) / 1000;
  assert.ok(delay >= 30 && delay <= 37.5, `first retry after ${delay} s`);
  const [request] = receiver.on("/unavailable-once");
  assert.equal(verified(endpoint.secret, request).type, "webhook.test");
});

test("a refused delivery fails at once and a replay delivers the same signed event", { timeout: 60_000 }, async () => {
  const endpoint = await createEndpoint("/reject-once", ["user.banned"]);
  const queued = await admin(`/admin/webhooks/endpoints/${endpoint.id}/test`, { method: "POST" });
  assert.equal(queued.status, 202);
  const deliveryId = queued.body.delivery_id;
  const failed = await eventually(
    async () => (await deliveriesOf(endpoint.id)).find((delivery) => delivery.id === deliveryId),
    (delivery) => delivery?.status === "failed",
    "refused test event",
  );
  assert.equal(failed.last_status_code, 400);
  assert.equal(failed.next_attempt_at, null);

  const replayed = await admin(`/admin/webhooks/deliveries/${deliveryId}/replay`, { method: "POST" });
  assert.equal(replayed.status, 202);
  const done = await eventually(
    async () => (await deliveriesOf(endpoint.id)).find((delivery) => delivery.id === deliveryId),
    (delivery) => delivery?.status === "succeeded",
    "replayed test event",
  );
  assert.equal(done.attempts, 2);
  assert.equal(done.last_status_code, 200);
  const [first, second] = receiver.on("/reject-once");
  assert.equal(second.headers["webhook-id"], first.headers["webhook-id"]);
  assert.equal(second.body, first.body);
  assert.deepEqual(verified(endpoint.secret, second), verified(endpoint.secret, first));
  const again = await admin(`/admin/webhooks/deliveries/${deliveryId}/replay`, { method: "POST" });
  assert.equal(again.status, 409);
});
