// Instant revocation, end to end: the api worker and the edge-verify worker run as two real
// `wrangler dev` sessions; a session revoked at the api is refused at the edge within 2 s.
import assert from "node:assert/strict";
import { test } from "node:test";
import { callApi, useStack } from "./stack-fixture.mjs";

const BOUND_MS = 2_000;

const stack = useStack({ slug: "edge" });
const api = (pathname, options) => callApi(stack, pathname, options);

const verifyAtEdge = (token) =>
  fetch(`${stack.edgeUrl}/verify`, { method: "POST", headers: { Authorization: `Bearer ${token}` } });

test(`a revoked session is refused at the edge within ${BOUND_MS} ms`, async () => {
  const credentials = { email: "edge@example.com", password: "a long and uncommon passphrase" };
  assert.equal((await api("/identities", { body: credentials })).status, 201);
  const session = await api("/sessions", { body: credentials });
  assert.equal(session.status, 200);

  const accepted = await verifyAtEdge(session.body.access_token);
  assert.equal(accepted.status, 200);
  const claims = (await accepted.json()).claims;
  assert.equal(claims.sid, session.body.session_id);

  const revoked = await api(`/sessions/${session.body.session_id}`, { method: "DELETE", token: session.body.access_token });
  assert.equal(revoked.status, 204);
  const revokedAt = performance.now();
  let status = 200;
  while (status === 200 && performance.now() - revokedAt < BOUND_MS + 1_000) {
    const response = await verifyAtEdge(session.body.access_token);
    status = response.status;
    await response.arrayBuffer();
    if (status === 200) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const elapsed = performance.now() - revokedAt;
  console.log(`edge refused the revoked session after ${elapsed.toFixed(0)} ms`);
  assert.equal(status, 401);
  assert.ok(elapsed < BOUND_MS, `took ${elapsed.toFixed(0)} ms`);
});

test("the edge worker refuses garbage with an RFC 6750 challenge and serves the JWKS", async () => {
  const refused = await verifyAtEdge("not-a-token");
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer realm="plinto", error="invalid_token"/);
  const jwks = await fetch(`${stack.edgeUrl}/t/${stack.demo.slug}/.well-known/jwks.json`);
  assert.equal(jwks.status, 200);
  assert.equal((await jwks.json()).keys.length, 1);
});
