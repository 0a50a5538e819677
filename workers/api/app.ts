import { type Clock, type CoreDeps, PlintoError, systemClock } from "@plinto/core";
import { requestId } from "hono/request-id";
import { buildDeps } from "./deps";
import { problemResponse } from "./errors/problem";
import { requireAdmin } from "./middleware/authenticate";
import { limitBody, noStoreByDefault, requireJsonBody, securityHeaders } from "./middleware/security";
import { resolveTenant, tenantCors } from "./middleware/tenant";
import { adminAuditRoutes } from "./routes/admin/audit";
import { adminKeyRoutes } from "./routes/admin/keys";
import { adminSettingsRoutes } from "./routes/admin/settings";
import { adminUserRoutes } from "./routes/admin/users";
import { mountDocs } from "./routes/docs";
import { healthRoutes } from "./routes/health";
import { identityRoutes } from "./routes/identities";
import { jwksRoutes } from "./routes/jwks";
import { meRoutes } from "./routes/me";
import { operatorRoutes } from "./routes/operator";
import { revocationRoutes } from "./routes/revocations";
import { sessionRoutes } from "./routes/sessions";
import { createRouter } from "./router";

export interface AppOptions {
  /** Injected time source; tests move it by hand instead of sleeping. */
  clock?: Clock;
}

/** The api worker: global middleware, then one sub-app per feature. */
export function buildApp(options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const app = createRouter();
  app.use("*", requestId(), ...securityHeaders, limitBody, requireJsonBody);
  // Adapters hold no per-request state, so each isolate wires them once per bindings object.
  const depsByEnv = new WeakMap<Env, Promise<CoreDeps>>();
  app.use("*", async (c, next) => {
    let deps = depsByEnv.get(c.env);
    if (!deps) {
      deps = buildDeps(c.env, clock);
      depsByEnv.set(c.env, deps);
    }
    c.set("deps", await deps);
    await next();
  });

  app.route("/", healthRoutes);
  app.route("/api/v1/operator", operatorRoutes);

  const admin = createRouter();
  admin.use("*", requireAdmin);
  admin.route("/", adminUserRoutes);
  admin.route("/", adminSettingsRoutes);
  admin.route("/", adminKeyRoutes);
  admin.route("/", adminAuditRoutes);

  const tenant = createRouter();
  tenant.use("*", resolveTenant, tenantCors, noStoreByDefault);
  tenant.route("/.well-known", jwksRoutes);
  tenant.route("/api/v1", identityRoutes);
  tenant.route("/api/v1", sessionRoutes);
  tenant.route("/api/v1", meRoutes);
  tenant.route("/api/v1", revocationRoutes);
  tenant.route("/api/v1/admin", admin);
  app.route("/t/:tenant", tenant);

  mountDocs(app);
  app.notFound((c) => problemResponse(c, new PlintoError("not_found", { detail: `no route for ${c.req.method} ${c.req.path}` })));
  app.onError((error, c) => problemResponse(c, error));
  return app;
}
