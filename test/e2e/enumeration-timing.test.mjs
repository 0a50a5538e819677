// No user enumeration through timing: a sign-in for an unknown email must cost what a wrong password
// costs. Measured from outside the runtime, as a client sees it,
// over the real local stack, as a statistical comparison of medians rather than a wall-clock bound.
// Without the dummy hash an unknown email answers about 10x faster, far outside the accepted band.
import assert from "node:assert/strict";
import { test } from "node:test";
import { callApi, useStack } from "./stack-fixture.mjs";

const SAMPLES = 16;

const stack = useStack({ slug: "timing" });
const post = (pathname, body, token) =>
  callApi(stack, pathname, { method: pathname === "/admin/settings" ? "PATCH" : "POST", body, token });

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.floor((sorted.length - 1) / 2)] + sorted[Math.ceil((sorted.length - 1) / 2)]) / 2;
};

test("unknown email and wrong password take the same time (medians within 0.6x-1.6x)", async () => {
  const limits = { sign_in_per_minute_per_ip: 10_000, sign_in_per_minute_per_account: 10_000, sign_up_per_hour_per_ip: 10_000 };
  assert.equal((await post("/admin/settings", { rate_limits: limits }, stack.demo.secretKey)).status, 200);
  const password = "a long and uncommon passphrase";
  const emails = Array.from({ length: SAMPLES }, (_, i) => `timing-${i}@example.com`);
  for (const email of emails) assert.equal((await post("/identities", { email, password })).status, 201);

  // Warm-up, then interleave the two cases so drift on a shared machine hits both alike.
  await post("/sessions", { email: "warm-up@example.com", password });
  const unknown = [];
  const wrong = [];
  for (let i = 0; i < SAMPLES; i += 1) {
    const a = await post("/sessions", { email: `nobody-${i}@example.com`, password });
    const b = await post("/sessions", { email: emails[i], password: `${password}!` });
    assert.equal(a.status, 401);
    assert.equal(b.status, 401);
    unknown.push(a.ms);
    wrong.push(b.ms);
  }
  const ratio = median(unknown) / median(wrong);
  console.log(`sign-in medians: unknown email ${median(unknown).toFixed(1)} ms, wrong password ${median(wrong).toFixed(1)} ms`);
  assert.ok(ratio > 0.6 && ratio < 1.6, `median unknown ${median(unknown).toFixed(1)} ms vs wrong ${median(wrong).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`);
});
