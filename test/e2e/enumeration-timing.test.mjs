// No user enumeration through timing: a sign-in for an unknown email must cost what a wrong password
// costs. Measured from outside the runtime (inside workerd the clock does not move during CPU work),
// over the real local stack, as a statistical comparison of medians rather than a wall-clock bound.
// Without the dummy hash an unknown email answers about 10x faster, far outside the accepted band.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startStack } from "../../scripts/stack.mjs";

const SAMPLES = 16;

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

let stack;
let persistTo;

before(async () => {
  persistTo = mkdtempSync(path.join(tmpdir(), "plinto-timing-"));
  stack = await startStack({ port: await freePort(), persistTo, quiet: true, slug: "timing" });
});

after(() => {
  stack?.stop();
  rmSync(persistTo, { recursive: true, force: true });
});

async function post(pathname, body, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const started = performance.now();
  const response = await fetch(`${stack.url}/t/${stack.demo.slug}/api/v1${pathname}`, {
    method: pathname === "/admin/settings" ? "PATCH" : "POST",
    headers,
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

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
