import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { createRouter } from "../router";
import { storageBackend } from "../storage";
import { json } from "./openapi";

export const healthRoutes = createRouter();

const checkSchema = z.object({
  status: z.enum(["ready", "unavailable"]),
  /** Which relational backend the bindings selected (workers/api/storage.ts). */
  storage: z.enum(["d1", "postgres"]),
  checks: z.record(z.string(), z.enum(["ok", "failed"])),
});

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/health",
    tags: ["Health"],
    summary: "Liveness",
    responses: { 200: json(z.object({ status: z.literal("ok") }), "The worker runs") },
  }),
  (c) => c.json({ status: "ok" as const }, 200),
);

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/ready",
    tags: ["Health"],
    summary: "Readiness: really touches the database, KV and a Durable Object",
    responses: { 200: json(checkSchema, "All dependencies answer"), 503: json(checkSchema, "A dependency failed") },
  }),
  async (c) => {
    const deps = c.get("deps");
    const attempt = (work: () => Promise<unknown>) =>
      work().then(
        () => "ok" as const,
        () => "failed" as const,
      );
    const [database, kv, durableObjects] = await Promise.all([
      attempt(() => deps.storage.ping()),
      attempt(() => c.env.CONFIG_CACHE.get("ready-check")),
      attempt(() => deps.rateLimiter.lockStatus("ready-check", deps.clock.now())),
    ]);
    const checks = { database, kv, durable_objects: durableObjects };
    const ready = Object.values(checks).every((value) => value === "ok");
    const storage = storageBackend(c.env);
    c.header("Cache-Control", "no-store");
    return ready
      ? c.json({ status: "ready" as const, storage, checks }, 200)
      : c.json({ status: "unavailable" as const, storage, checks }, 503);
  },
);

healthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/api/status",
    tags: ["Health"],
    summary: "Service name, version and environment",
    responses: { 200: json(z.object({ name: z.string(), version: z.string(), environment: z.string() }), "Status") },
  }),
  (c) => c.json({ name: "plinto", version: PLINTO_VERSION, environment: c.env.PLINTO_ENV }, 200),
);

/** Bumped with releases; package.json holds the same number. */
export const PLINTO_VERSION = "0.1.0";
