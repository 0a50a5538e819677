// Shared by the end-to-end suites: one local stack (api + edge-verify on free ports, state in a
// temporary folder) per test file, and a small client for the tenant's auth API.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { startStack } from "../../scripts/stack.mjs";

export const freePort = () =>
  new Promise((resolve) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** Starts the stack before the file's tests and stops it after; the returned object fills in at `before`. */
export function useStack({ slug = "demo" } = {}) {
  const handle = {};
  let persistTo;
  before(async () => {
    persistTo = mkdtempSync(path.join(tmpdir(), "plinto-e2e-"));
    Object.assign(handle, await startStack({ port: await freePort(), edgePort: await freePort(), persistTo, quiet: true, slug }));
  });
  after(() => {
    handle.stop?.();
    if (persistTo) rmSync(persistTo, { recursive: true, force: true });
  });
  return handle;
}

/** A request to the demo tenant's auth API: `{ status, body, ms }` with the JSON body parsed. */
export async function callApi(stack, pathname, { method, body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  const started = performance.now();
  const response = await fetch(`${stack.url}/t/${stack.demo.slug}/api/v1${pathname}`, {
    method: method ?? (body === undefined ? "GET" : "POST"),
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, ms: performance.now() - started };
}
