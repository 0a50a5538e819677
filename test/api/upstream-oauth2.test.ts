import { describe, expect, it } from "vitest";
import { admin, allAuditEvents, uniqueEmail } from "./admin-helpers";
import { createTenant, json, type TestTenant, uniqueSlug } from "./helpers";
import { type ConnectionBody, deliverCallback, GITHUB_URL, linkedIdentitiesOf, loginCookieSet, startSignIn, userByEmail, userWithVerifiedEmail } from "./upstream-helpers";

/**
 * OAuth 2.0 connections (no ID token): the GitHub preset (pointed at a local
 * GitHub-style server through `enterprise_url`, the GitHub Enterprise Server
 * layout) and a generic `oauth2` connection with a claim mapping.
 */
interface FakeGitHubUser {
  id: number;
  login: string;
  name?: string;
  email?: string | null;
  emails?: { email: string; primary: boolean; verified: boolean }[];
  extra?: Record<string, unknown>;
}

const base64url = (text: string) => btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

async function createConnection(tenant: TestTenant, body: Record<string, unknown>): Promise<ConnectionBody> {
  const response = await admin(tenant, "/connections", { body: { slug: uniqueSlug("gh").slice(0, 40), display_name: "GitHub", client_id: "gh-client", client_secret: "github-secret", ...body } });
  expect(response.status).toBe(201);
  return json<ConnectionBody>(response);
}

const githubConnection = (tenant: TestTenant, secret = "github-secret") =>
  createConnection(tenant, { kind: "github", client_secret: secret, options: { enterprise_url: GITHUB_URL } });

/** Start, "approve" at the fake (it signs in as `user`), and deliver the callback. */
async function signInAs(tenant: TestTenant, connection: ConnectionBody, user: FakeGitHubUser) {
  const { authorizeUrl, jar } = await startSignIn(tenant, connection.slug);
  authorizeUrl.searchParams.set("fake_user", base64url(JSON.stringify(user)));
  const approved = await fetch(authorizeUrl, { redirect: "manual" });
  expect(approved.status).toBe(302);
  return deliverCallback(new URL(approved.headers.get("Location") ?? ""), jar);
}

const githubId = () => Math.floor(Math.random() * 1e9);

describe("GitHub connection", () => {
  it("asks for read:user and user:email with PKCE and no nonce", async () => {
    const tenant = await createTenant();
    const connection = await githubConnection(tenant);
    const { authorizeUrl } = await startSignIn(tenant, connection.slug);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${GITHUB_URL}/login/oauth/authorize`);
    expect(authorizeUrl.searchParams.get("scope")).toBe("read:user user:email");
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizeUrl.searchParams.has("nonce")).toBe(false);
  });

  it("signs in with the verified primary address from /user/emails and links the numeric id", async () => {
    const tenant = await createTenant();
    const connection = await githubConnection(tenant);
    const email = uniqueEmail("octo");
    const id = githubId();
    const user: FakeGitHubUser = {
      id,
      login: "octocat",
      name: "Mona Lisa",
      email: null,
      emails: [
        { email: uniqueEmail("secondary"), primary: false, verified: true },
        { email, primary: true, verified: true },
      ],
    };
    const response = await signInAs(tenant, connection, user);
    expect(response.status).toBe(303);
    expect(loginCookieSet(response, tenant)).toBe(true);
    const created = await userByEmail(tenant, email);
    expect(created).toMatchObject({ emailVerified: true, name: "Mona Lisa" });
    const identities = await linkedIdentitiesOf(tenant, created!.id);
    expect(identities[0]).toMatchObject({ subject: String(id), email });
    expect(identities[0]?.profile).toMatchObject({ login: "octocat" });

    const again = await signInAs(tenant, connection, user);
    expect(again.status).toBe(303);
    expect(await linkedIdentitiesOf(tenant, created!.id)).toHaveLength(1);
  });

  it("links an existing account only when GitHub verified the primary address", async () => {
    const tenant = await createTenant();
    const connection = await githubConnection(tenant);
    const email = uniqueEmail("gh-existing");
    const existing = await userWithVerifiedEmail(tenant, email);

    // A public profile address is not proof: only /user/emails says whether GitHub verified it.
    const unverified = await signInAs(tenant, connection, { id: githubId(), login: "mallory", email, emails: [{ email, primary: true, verified: false }] });
    expect(unverified.status).toBe(409);
    expect(await linkedIdentitiesOf(tenant, existing.id)).toHaveLength(0);

    const verified = await signInAs(tenant, connection, { id: githubId(), login: "owner", emails: [{ email, primary: true, verified: true }] });
    expect(verified.status).toBe(303);
    expect(await linkedIdentitiesOf(tenant, existing.id)).toHaveLength(1);
  });

  it("shows a refused token request (wrong client secret) as an error", async () => {
    const tenant = await createTenant();
    const connection = await githubConnection(tenant, "not-the-secret");
    const response = await signInAs(tenant, connection, { id: githubId(), login: "x", emails: [{ email: uniqueEmail("x"), primary: true, verified: true }] });
    expect(response.status).toBe(400);
    expect(loginCookieSet(response, tenant)).toBe(false);
    const failures = await allAuditEvents(tenant, { type: "upstream.sign_in_failed" });
    expect(failures[0]?.data).toMatchObject({ code: "upstream_token_rejected", reason: "the provider's token endpoint answered bad_verification_code" });
    // The secret is sealed with the vault and never shown.
    const stored = await json<ConnectionBody>(await admin(tenant, `/connections/${connection.id}`));
    expect(JSON.stringify(stored)).not.toContain("not-the-secret");
  });
});

describe("generic OAuth 2.0 connection", () => {
  const oauth2 = (tenant: TestTenant) =>
    createConnection(tenant, {
      kind: "oauth2",
      authorization_endpoint: `${GITHUB_URL}/login/oauth/authorize`,
      token_endpoint: `${GITHUB_URL}/login/oauth/access_token`,
      userinfo_endpoint: `${GITHUB_URL}/api/v3/user`,
      scopes: ["profile"],
      options: { claims: { subject: "id", email: "email", email_verified: "verified_email", name: "name" } },
    });

  it("reads subject, email, verification and name through the claim mapping", async () => {
    const tenant = await createTenant();
    const connection = await oauth2(tenant);
    const email = uniqueEmail("mapped");
    const id = githubId();
    const response = await signInAs(tenant, connection, { id, login: "m", name: "Mapped Person", email, extra: { verified_email: true } });
    expect(response.status).toBe(303);
    const user = await userByEmail(tenant, email);
    expect(user).toMatchObject({ emailVerified: true, name: "Mapped Person" });
    expect((await linkedIdentitiesOf(tenant, user!.id))[0]?.subject).toBe(String(id));
  });

  it("treats a missing verification claim as unverified", async () => {
    const tenant = await createTenant();
    const connection = await oauth2(tenant);
    const email = uniqueEmail("unmapped");
    expect((await signInAs(tenant, connection, { id: githubId(), login: "u", email })).status).toBe(303);
    expect((await userByEmail(tenant, email))?.emailVerified).toBe(false);
  });

  it("refuses an identity without an email address", async () => {
    const tenant = await createTenant();
    const connection = await oauth2(tenant);
    const response = await signInAs(tenant, connection, { id: githubId(), login: "nomail", email: null });
    expect(response.status).toBe(422);
    expect(await response.text()).toContain("did not share your email address");
  });
});
