import type { Actor, Authenticated, CoreDeps, TenantScope } from "@plinto/core";

/** Hono environment of the api worker: bindings from wrangler types, per-request variables. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    deps: CoreDeps;
    scope: TenantScope;
    /** Set by requireUser. */
    auth: Authenticated;
    /** Set by requireUser / requireAdmin: who acts, for audit. */
    actor: Actor;
  };
}
