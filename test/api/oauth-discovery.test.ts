import { exports } from "cloudflare:workers";
import * as oidc from "openid-client";
import { describe, expect, it } from "vitest";
import { admin } from "./token-helpers";
import { call, createTenant, json, ORIGIN, type TestTenant } from "./helpers";

type Metadata = Record<string, unknown> & { issuer: string; scopes_supported: string[] };

const discoveryPath = (tenant: TestTenant) => `/t/${tenant.slug}/.well-known/openid-configuration`;
const rfc8414Path = (tenant: TestTenant) => `/.well-known/oauth-authorization-server/t/${tenant.slug}`;

async function metadataAt(path: string, headers: Record<string, string> = {}): Promise<{ response: Response; body: Metadata }> {
  const response = await call(path, { headers });
  expect(response.status).toBe(200);
  return { response, body: await json<Metadata>(response) };
}

async function patchSettings(tenant: TestTenant, body: unknown) {
  const response = await admin(tenant, "/settings", { method: "PATCH", body });
  expect(response.status).toBe(200);
}

describe("OIDC discovery and RFC 8414 metadata", () => {
  it("states the tenant's issuer, endpoints and supported features (OIDC Discovery §3)", async () => {
    const tenant = await createTenant();
    const { body } = await metadataAt(discoveryPath(tenant));
    const issuer = `${ORIGIN}/t/${tenant.slug}`;
    expect(tenant.issuer).toBe(issuer);
    expect(body).toMatchObject({
      issuer,
      authorization_endpoint: `${issuer}/oauth/authorize`,
      token_endpoint: `${issuer}/oauth/token`,
      userinfo_endpoint: `${issuer}/oauth/userinfo`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      revocation_endpoint: `${issuer}/oauth/revoke`,
      introspection_endpoint: `${issuer}/oauth/introspect`,
      end_session_endpoint: `${issuer}/oauth/end_session`,
      device_authorization_endpoint: `${issuer}/oauth/device_authorization`,
      response_types_supported: ["code"],
      response_modes_supported: ["query"],
      subject_types_supported: ["public"],
      id_token_signing_alg_values_supported: ["RS256"],
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: false,
    });
    expect(body.grant_types_supported).toEqual([
      "authorization_code",
      "refresh_token",
      "client_credentials",
      "urn:ietf:params:oauth:grant-type:device_code",
    ]);
    expect(body.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic", "client_secret_post", "private_key_jwt", "none"]);
    expect(body.introspection_endpoint_auth_methods_supported).not.toContain("none");
    expect(body.token_endpoint_auth_signing_alg_values_supported).toEqual(expect.arrayContaining(["RS256", "ES256"]));
    expect(body.scopes_supported).toEqual(["openid", "profile", "email", "offline_access"]);
    expect(body.claims_supported).toEqual(expect.arrayContaining(["sub", "iss", "auth_time", "nonce", "email", "email_verified", "name"]));
    // Dynamic client registration is off by default, so no registration_endpoint (RFC 8414 §2).
    expect(body).not.toHaveProperty("registration_endpoint");
  });

  it("is public, cacheable briefly and readable from any origin", async () => {
    const tenant = await createTenant();
    const { response } = await metadataAt(discoveryPath(tenant), { Origin: "https://rp.example" });
    expect(response.headers.get("Cache-Control")).toBe("public, max-age=300");
    expect(response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(response.headers.get("Content-Type")).toContain("application/json");
  });

  it("serves the same document at the RFC 8414 §3.1 location, issuer identical (§3.3)", async () => {
    const tenant = await createTenant();
    const oidcDoc = await metadataAt(discoveryPath(tenant));
    const oauthDoc = await metadataAt(rfc8414Path(tenant), { Origin: "https://rp.example" });
    expect(oauthDoc.body).toEqual(oidcDoc.body);
    expect(oauthDoc.body.issuer).toBe(`${ORIGIN}/t/${tenant.slug}`);
    expect(oauthDoc.response.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(oauthDoc.response.headers.get("Cache-Control")).toBe("public, max-age=300");
  });

  it("follows the tenant's settings: DCR endpoint, API scopes and signing algorithm", async () => {
    const tenant = await createTenant();
    await patchSettings(tenant, {
      signing_algorithm: "ES256",
      oauth: {
        dynamic_registration: "open",
        resources: [
          {
            identifier: "https://api.example.com",
            name: "Example API",
            scopes: [
              { value: "read:items", description: "Read items" },
              { value: "write:items", description: "Write items" },
            ],
          },
          { identifier: "https://billing.example.com", name: "Billing", scopes: [{ value: "read:items", description: "Same name" }] },
        ],
      },
    });
    const { body } = await metadataAt(discoveryPath(tenant));
    expect(body.registration_endpoint).toBe(`${ORIGIN}/t/${tenant.slug}/oauth/register`);
    expect(body.scopes_supported).toEqual(["openid", "profile", "email", "offline_access", "read:items", "write:items"]);
    expect(body.id_token_signing_alg_values_supported).toEqual(["ES256"]);
    expect((await metadataAt(rfc8414Path(tenant))).body).toEqual(body);
  });

  it("404s for an unknown tenant at both locations", async () => {
    for (const path of ["/t/no-such-tenant-xyz/.well-known/openid-configuration", "/.well-known/oauth-authorization-server/t/no-such-tenant-xyz"]) {
      const response = await call(path);
      expect(response.status).toBe(404);
    }
  });

  it("is what openid-client discovers, by OIDC and by RFC 8414", async () => {
    const tenant = await createTenant();
    const fetchThroughWorker: oidc.CustomFetch = (url, options) =>
      exports.default.fetch(new Request(url, { method: options.method, headers: options.headers, body: options.body, redirect: options.redirect }));
    for (const algorithm of ["oidc", "oauth2"] as const) {
      const config = await oidc.discovery(new URL(tenant.issuer), "cli_unused", undefined, undefined, {
        algorithm,
        execute: [oidc.allowInsecureRequests],
        [oidc.customFetch]: fetchThroughWorker,
      });
      expect(config.serverMetadata().issuer).toBe(tenant.issuer);
      expect(config.serverMetadata().supportsPKCE()).toBe(true);
    }
  });
});
