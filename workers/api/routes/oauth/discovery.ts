import { createRoute } from "@hono/zod-openapi";
import { providerMetadataSchema } from "@plinto/contracts";
import { issuerMetadata } from "@plinto/core";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { resolveTenant } from "../../middleware/tenant";
import { createRouter } from "../../router";
import { json, tenantParams } from "../openapi";

/** Metadata changes only with tenant settings; clients may keep it this long. */
const METADATA_MAX_AGE_SECONDS = 300;

/**
 * The same document at both locations: relying parties in any browser origin
 * may read it (public, no credentials), and caches may keep it briefly.
 */
function metadataResponse(c: Context<AppEnv>) {
  c.header("Cache-Control", `public, max-age=${METADATA_MAX_AGE_SECONDS}`);
  c.header("Access-Control-Allow-Origin", "*");
  return c.json(issuerMetadata(c.get("scope")), 200);
}

/** OIDC Discovery 1.0 §4: `{issuer}/.well-known/openid-configuration`, mounted on the tenant router. */
export const openIdConfigurationRoutes = createRouter();

openIdConfigurationRoutes.openapi(
  createRoute({
    method: "get",
    path: "/openid-configuration",
    tags: ["OAuth"],
    summary: "OpenID Provider Metadata (OIDC Discovery 1.0 §3)",
    request: { params: tenantParams },
    responses: { 200: json(providerMetadataSchema, "The tenant's provider metadata") },
  }),
  (c) => metadataResponse(c),
);

/**
 * RFC 8414 §3.1: for an issuer with a path, the well-known segment goes
 * between host and path: `{origin}/.well-known/oauth-authorization-server/t/{tenant}`.
 * Mounted on the root app; the `issuer` inside is identical to the one the URL
 * was built from (§3.3).
 */
export const authorizationServerMetadataRoutes = createRouter();
authorizationServerMetadataRoutes.use("/.well-known/oauth-authorization-server/t/:tenant", resolveTenant);

authorizationServerMetadataRoutes.openapi(
  createRoute({
    method: "get",
    path: "/.well-known/oauth-authorization-server/t/{tenant}",
    tags: ["OAuth"],
    summary: "OAuth 2.0 Authorization Server Metadata (RFC 8414 §3.1)",
    request: { params: tenantParams },
    responses: { 200: json(providerMetadataSchema, "The tenant's authorization server metadata") },
  }),
  (c) => metadataResponse(c),
);
