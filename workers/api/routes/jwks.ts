import { createRoute } from "@hono/zod-openapi";
import { publishedJwks } from "@plinto/core";
import { z } from "zod";
import { readMirroredJwks } from "../adapters/kv-jwks-mirror";
import { createRouter } from "../router";
import { json, tenantParams } from "./openapi";

export const jwksRoutes = createRouter();

/** Verifiers may cache the JWKS this long; they refetch on an unknown kid anyway. */
const JWKS_MAX_AGE_SECONDS = 60;

const jwkSchema = z.looseObject({
  kty: z.string().optional(),
  kid: z.string().optional(),
  alg: z.string().optional(),
  use: z.string().optional(),
});

jwksRoutes.openapi(
  createRoute({
    method: "get",
    path: "/jwks.json",
    tags: ["Keys"],
    summary: "The tenant's public signing keys (RFC 7517 JWK Set)",
    request: { params: tenantParams },
    responses: { 200: json(z.object({ keys: z.array(jwkSchema) }), "Active and recently retired public keys") },
  }),
  async (c) => {
    const { tenant } = c.get("scope");
    const deps = c.get("deps");
    let jwks = await readMirroredJwks(c.env.JWKS_CACHE, tenant.slug, deps.clock.now());
    if (!jwks) {
      const published = await publishedJwks(deps, tenant.id);
      await deps.jwksMirror.publish(tenant.slug, published);
      jwks = published.jwks;
    }
    c.header("Cache-Control", `public, max-age=${JWKS_MAX_AGE_SECONDS}`);
    return c.json(jwks, 200);
  },
);
