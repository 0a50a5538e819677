import type { Actor, Authenticated, CoreDeps, TenantScope } from "@plinto/core";
import type { BackgroundWork } from "./middleware/request-lifecycle";

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
    /** Set by createOAuthRouter: errors render as RFC 6749 §5.2 `{error, error_description}` (errors/problem.ts). */
    oauthEndpoint: boolean;
    /** Tracked after-response work (middleware/request-lifecycle.ts); absent without an execution context. */
    background: BackgroundWork;
  };
}
