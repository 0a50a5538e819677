import type { Defer } from "@plinto/core";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { loggable } from "../errors/problem";
import { backgroundOf } from "./request-lifecycle";

/** Where after-response work goes: the request's tracked background, or null without an execution context. */
export function executionContextOf(c: Context<AppEnv>): { waitUntil(promise: Promise<unknown>): void } | null {
  return backgroundOf(c);
}

/**
 * Fills `scope.defer` (core/after-response.ts): tasks start only once the
 * handler has produced its response and run under `waitUntil`, so the public
 * email flows answer in the same time whether or not an address has an
 * account. A failed task is logged by error name and message only (adapters
 * put no secrets in either). Without an execution context the response waits
 * for the tasks instead, so nothing is lost.
 */
export const deferredWork: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tasks: (() => Promise<void>)[] = [];
  const defer: Defer = (task) => void tasks.push(task);
  c.set("scope", { ...c.get("scope"), defer });
  await next();
  if (tasks.length === 0) return;
  const path = c.req.path;
  const runs = tasks.map((task) =>
    task().catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", event: "deferred_task_failed", path, ...loggable(error) }));
    }),
  );
  const ctx = executionContextOf(c);
  if (ctx) for (const run of runs) ctx.waitUntil(run);
  else await Promise.all(runs);
};
