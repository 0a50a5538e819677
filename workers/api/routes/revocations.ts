import { createRoute } from "@hono/zod-openapi";
import { revocationSnapshotSchema } from "@plinto/contracts";
import { createRouter } from "../router";
import { json, tenantParams } from "./openapi";

export const revocationRoutes = createRouter();

/** Edge verifiers poll about once a second; shared caches may hold a snapshot that long. */
const SNAPSHOT_MAX_AGE_SECONDS = 1;

revocationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/revocations",
    tags: ["Keys"],
    summary: "Revoked sessions, tokens and signing keys, for edge verifiers",
    description:
      "Every revoked `sid`, `jti` and `kid` of the tenant with the time (ms) after which no token it affects is valid. Workers verifiers read the revocation-list Durable Object directly; other runtimes poll this.",
    request: { params: tenantParams },
    responses: { 200: json(revocationSnapshotSchema, "The current snapshot") },
  }),
  async (c) => {
    const deps = c.get("deps");
    const snapshot = await deps.revocations.snapshot(c.get("scope").tenant.slug, deps.clock.now());
    c.header("Cache-Control", `public, max-age=${SNAPSHOT_MAX_AGE_SECONDS}`);
    return c.json(snapshot, 200);
  },
);
