import { type CoreDeps, sealAuditChain } from "@plinto/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { loggable } from "../errors/problem";
import { executionContextOf } from "./deferred-work";

/**
 * How long one sealer keeps taking further passes while requests keep recording
 * events; after it, the next request (or the cron) starts a fresh one. Bounded
 * by wall time, not by a pass count: a burst longer than a few passes must not
 * leave its last events unsealed with no request left to seal them.
 */
const PASS_BUDGET_MS = 10_000;
/** A sealer entry older than this is taken for dead (its waitUntil was cut off) and replaced. */
const STALE_AFTER_MS = 30_000;

/** Per isolate: tenants whose sealer is running, since when, and whether events were recorded since its pass began. */
const running = new Map<string, { again: boolean; startedAt: number }>();

/**
 * Seals the tenant's pending audit rows, at most one sealer per isolate and
 * tenant: a request that records events while one runs only asks it for one
 * more pass, so a burst of requests costs one sealer, not one each.
 */
export async function sealSoon(deps: Pick<CoreDeps, "storage">, tenantId: string): Promise<void> {
  const current = running.get(tenantId);
  if (current && Date.now() - current.startedAt < STALE_AFTER_MS) {
    current.again = true;
    return;
  }
  const state = { again: true, startedAt: Date.now() };
  running.set(tenantId, state);
  try {
    while (state.again && Date.now() - state.startedAt < PASS_BUDGET_MS) {
      state.again = false;
      await sealAuditChain(deps, tenantId);
    }
  } finally {
    if (running.get(tenantId) === state) running.delete(tenantId);
  }
}

/**
 * After a response whose request recorded audit events (any route, operator
 * ones included), seals them into the tenant's hash chain (docs/audit.md)
 * under `waitUntil`, so rows stay unsealed for about as long as one seal
 * takes. Appends are noted by wrapping this request's `storage.audit.append`;
 * the core does not know about it. Without an execution context (tests that
 * call `app.fetch` bare) the response waits for the seal instead.
 */
export const sealAuditAfterResponse: MiddlewareHandler<AppEnv> = async (c, next) => {
  const deps = c.get("deps");
  const ctx = executionContextOf(c);
  const seal = (tenantId: string) =>
    sealSoon(deps, tenantId).catch((error: unknown) => {
      console.error(JSON.stringify({ level: "error", event: "audit_seal_failed", tenant_id: tenantId, ...loggable(error) }));
    });
  const { audit } = deps.storage;
  const recorded = new Set<string>();
  let responded = false;
  const append: typeof audit.append = async (event) => {
    await audit.append(event);
    if (!responded) recorded.add(event.tenantId);
    // Recorded by work deferred past the response (core/after-response.ts): seal it from there.
    else if (ctx) ctx.waitUntil(seal(event.tenantId));
    else await seal(event.tenantId);
  };
  c.set("deps", { ...deps, storage: { ...deps.storage, audit: { ...audit, append } } });
  await next();
  responded = true;
  const seals = [...recorded].map(seal);
  if (ctx) for (const pending of seals) ctx.waitUntil(pending);
  else await Promise.all(seals);
};
