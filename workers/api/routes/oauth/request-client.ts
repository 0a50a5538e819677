import { type AuthenticatedClient, authenticateClient } from "@plinto/core";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";

/**
 * Authenticates the client of a token, introspection, revocation or device
 * authorization request (RFC 6749 §2.3) from its Authorization header and
 * form, for the endpoint at `endpointUrl` (a private_key_jwt audience).
 */
export function authenticateRequestClient(c: Context<AppEnv>, form: Record<string, string>, endpointUrl: string): Promise<AuthenticatedClient> {
  return authenticateClient(c.get("deps"), c.get("scope"), {
    authorization: c.req.header("Authorization") ?? null,
    form,
    endpointUrl,
  });
}
