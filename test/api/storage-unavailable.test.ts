import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../workers/api/app";
import { expectProblem, freshIp, ORIGIN, STRONG_PASSWORD, uniqueSlug } from "./helpers";

/** A Hyperdrive binding whose database refuses connections (nothing listens on port 9). */
const unreachable: Hyperdrive = {
  connectionString: "postgres://postgres:postgres@127.0.0.1:9/plinto",
  host: "127.0.0.1",
  ip: "127.0.0.1",
  port: 9,
  user: "postgres",
  password: "postgres",
  database: "plinto",
  connect: () => {
    throw new Error("not used: postgres.js opens its own socket");
  },
};

async function send(path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await buildApp().fetch(new Request(`${ORIGIN}${path}`, init), { ...env, HYPERDRIVE: unreachable }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

describe("the Postgres backend unreachable", () => {
  it("answers 503 problem+json storage_unavailable, naming nothing internal", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await send(`/t/${uniqueSlug()}/api/v1/identities`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
        body: JSON.stringify({ email: "someone@example.com", password: STRONG_PASSWORD }),
      });
      expect(response.headers.get("Retry-After")).toBe("5");
      const body = await expectProblem(response, 503, "storage_unavailable");
      expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|postgres|ECONNREFUSED/i);
    } finally {
      logged.mockRestore();
    }
  });

  it("/ready reports the database check as failed", async () => {
    const response = await send("/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", storage: "postgres", checks: { database: "failed", kv: "ok" } });
  });
});
