import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../workers/api/app";
import { expectProblem, freshIp, ORIGIN, STRONG_PASSWORD, uniqueSlug } from "./helpers";

/**
 * A D1 binding whose every statement and batch fails with `failure()`, as the
 * real binding does when D1 is down (or, for the bug case, when a query is
 * wrong). Everything else about the worker is the real one.
 */
function failingD1(failure: () => Error): D1Database {
  const failingStatement = (statement: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(statement, {
      get: (target, property) => (property === "bind" ? () => failingStatement(target) : () => Promise.reject(failure())),
    });
  return new Proxy(env.DB, {
    get: (target, property) =>
      property === "prepare" ? () => failingStatement(target.prepare("select 1")) : () => Promise.reject(failure()),
  });
}

const d1Error = (message: string) => () => new Error(`D1_ERROR: ${message}`, { cause: new Error(message) });

async function send(db: D1Database, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext();
  const response = await buildApp().fetch(new Request(`${ORIGIN}${path}`, init), { ...env, HYPERDRIVE: undefined, DB: db }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

const signUp = (db: D1Database) =>
  send(db, `/t/${uniqueSlug()}/api/v1/identities`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp() },
    body: JSON.stringify({ email: "someone@example.com", password: STRONG_PASSWORD }),
  });

describe("D1 unavailable", () => {
  it.each([
    "Network connection lost.",
    "D1 DB is overloaded. Too many requests queued.",
    "Internal error while starting up D1 DB storage caused object to be reset.",
  ])("answers 503 storage_unavailable with Retry-After, naming nothing internal: %s", async (message) => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await signUp(failingD1(d1Error(message)));
      expect(response.headers.get("Retry-After")).toBe("5");
      const body = await expectProblem(response, 503, "storage_unavailable");
      expect(JSON.stringify(body)).not.toMatch(/D1|network|overloaded|reset/i);
    } finally {
      logged.mockRestore();
    }
  });

  it("/ready reports the database check as failed", async () => {
    const response = await send(failingD1(d1Error("Network connection lost.")), "/ready");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "unavailable", storage: "d1", checks: { database: "failed", kv: "ok" } });
  });

  it("keeps a genuine query bug a 500 internal_error, not an outage", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const response = await signUp(failingD1(d1Error("no such table: users: SQLITE_ERROR")));
      await expectProblem(response, 500, "internal_error");
    } finally {
      logged.mockRestore();
    }
  });
});
