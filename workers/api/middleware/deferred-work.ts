import type { Defer } from "@plinto/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { loggable } from "../errors/problem";

function executionContextOf(c: Context): { waitUntil(promise: Promise<unknown>): void } | null {
  try {
    return c.executionCtx;
  } catch {
    return null; // app.fetch(request, env) without a context, as some tests call it
  }
}

/**
 * Fills `scope.defer` (core/after-response.ts): tasks run off the response
 * path under `waitUntil`, so the public email flows answer in the same time
 * whether or not an address has an account. A failed task is logged by error
 * name and message only (adapters put no secrets in either). Without an
 * execution context the response waits for the tasks instead, so nothing is
 * lost and tests see the mail as soon as they have the answer.
 */
export const deferredWork: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = executionContextOf(c);
  const inline: Promise<void>[] = [];
  const defer: Defer = (task) => {
    const run = task().catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", event: "deferred_task_failed", path: c.req.path, ...loggable(error) }));
    });
    if (ctx) ctx.waitUntil(run);
    else inline.push(run);
  };
  c.set("scope", { ...c.get("scope"), defer });
  await next();
  await Promise.all(inline);
};
