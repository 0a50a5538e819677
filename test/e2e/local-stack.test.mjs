// The newcomer's path, end to end: the same stack `npm start` runs (wrangler dev on workerd with local
// D1, KV and Durable Objects), driven over real HTTP from outside the runtime.
import assert from "node:assert/strict";
import { test } from "node:test";
import { callApi, useStack } from "./stack-fixture.mjs";

const stack = useStack();
const api = (pathname, options) => callApi(stack, pathname, options);

test("sign up, sign in, refresh, list and revoke sessions on the local stack", async () => {
  const credentials = { email: "newcomer@example.com", password: "a long and uncommon passphrase" };
  const signUp = await api("/identities", { body: credentials });
  assert.equal(signUp.status, 201);

  const signIn = await api("/sessions", { body: credentials });
  assert.equal(signIn.status, 200);
  assert.equal(signIn.body.token_type, "Bearer");

  const refreshed = await api("/sessions/refresh", { body: { refresh_token: signIn.body.refresh_token } });
  assert.equal(refreshed.status, 200);
  assert.notEqual(refreshed.body.refresh_token, signIn.body.refresh_token);

  const listed = await api("/sessions", { token: refreshed.body.access_token });
  assert.equal(listed.status, 200);
  assert.equal(listed.body.data.length, 2);

  const revoked = await api(`/sessions/${signUp.body.session_id}`, { method: "DELETE", token: refreshed.body.access_token });
  assert.equal(revoked.status, 204);
  const afterRevoke = await api("/me", { token: signUp.body.access_token });
  assert.equal(afterRevoke.status, 401);

  const reused = await api("/sessions/refresh", { body: { refresh_token: signIn.body.refresh_token } });
  assert.equal(reused.status, 401);
  assert.equal(reused.body.code, "refresh_token_reused");
});

test("the seeded secret key manages the demo tenant", async () => {
  const users = await api("/admin/users", { token: stack.demo.secretKey });
  assert.equal(users.status, 200);
  assert.ok(users.body.data.some((user) => user.email === "newcomer@example.com"));
  const jwks = await fetch(`${stack.url}/t/${stack.demo.slug}/.well-known/jwks.json`);
  assert.equal(jwks.status, 200);
  assert.equal((await jwks.json()).keys[0].alg, "RS256");
});

test("health and readiness answer on the running stack", async () => {
  assert.equal((await fetch(`${stack.url}/health`)).status, 200);
  const ready = await fetch(`${stack.url}/ready`);
  assert.equal(ready.status, 200);
  assert.deepEqual((await ready.json()).checks, { database: "ok", kv: "ok", durable_objects: "ok" });
});
