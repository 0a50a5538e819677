import { slugSchema } from "@plinto/contracts";
import { issuerFor, PlintoError, type Tenant } from "@plinto/core";
import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { AppEnv } from "../app-env";
import { publicOrigin, requestContext } from "./request-context";

/** Seconds an isolate reuses a tenant record; writes in this isolate invalidate at once. */
const TENANT_CACHE_TTL_MS = 5_000;
/** Also remembers unknown slugs (tenant null), so requests naming random tenants do not each reach the database. */
const cache = new Map<string, { tenant: Tenant | null; fetchedAt: number }>();
const MAX_CACHED_SLUGS = 10_000;

export function forgetTenant(slug: string): void {
  cache.delete(slug);
}

/** Resolves `/t/{tenant}` to the tenant and sets the request scope. Unknown slugs are 404 `tenant_not_found`. */
export const resolveTenant: MiddlewareHandler<AppEnv> = async (c, next) => {
  const slug = c.req.param("tenant") ?? "";
  const deps = c.get("deps");
  const now = deps.clock.now();
  let entry = cache.get(slug);
  if (!entry || now - entry.fetchedAt > TENANT_CACHE_TTL_MS) {
    if (!slugSchema.safeParse(slug).success) throw new PlintoError("tenant_not_found");
    entry = { tenant: await deps.storage.tenants.getBySlug(slug), fetchedAt: now };
    if (cache.size >= MAX_CACHED_SLUGS) cache.clear();
    cache.set(slug, entry);
  }
  if (!entry.tenant) throw new PlintoError("tenant_not_found");
  c.set("scope", { tenant: entry.tenant, issuer: issuerFor(publicOrigin(c), slug), request: requestContext(c) });
  await next();
};

/** CORS for the tenant's allowed origins only; other origins get no Access-Control-Allow-Origin. */
export const tenantCors: MiddlewareHandler<AppEnv> = cors({
  origin: (origin, c) => {
    const scope = (c as Parameters<MiddlewareHandler<AppEnv>>[0]).get("scope");
    return scope.tenant.settings.allowed_origins.includes(origin) ? origin : null;
  },
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  allowHeaders: ["Authorization", "Content-Type"],
  exposeHeaders: ["Retry-After", "WWW-Authenticate"],
  maxAge: 600,
});
