import type { TenantScope } from "./deps";

/**
 * Work that must not sit on the response path. Public email flows answer the
 * same for known and unknown addresses; if the lookup, token write and mail
 * send ran before answering, their time would tell which addresses have
 * accounts. So those flows answer first and do the work here. The worker
 * fills `scope.defer` from `executionCtx.waitUntil`; without it (unit tests)
 * the task runs inline. A failed task is logged by the worker, never shown.
 */
export type Defer = (task: () => Promise<void>) => void;

export async function afterResponse(scope: TenantScope, task: () => Promise<void>): Promise<void> {
  if (scope.defer) scope.defer(task);
  else await task();
}
