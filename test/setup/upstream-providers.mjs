// vitest globalSetup: real upstream identity providers on 127.0.0.1 for the social sign-in tests
// (test/api/upstream-*.test.ts), started in Node before the workerd pool runs and handed to the tests with
// `provide` (read with `inject("upstreamOidcIssuer")` / `inject("upstreamGitHubUrl")`). No internet.
//  - an OpenID Provider: the `oidc-provider` package, open dynamic registration (each test registers its own
//    client and redirect URI), PKCE required, RFC 9207 `iss` on responses. Its login interaction is answered by
//    GET /interaction/{uid}?sub=&email=&email_verified=&name= (signs in that account and grants the scopes) or
//    ?deny=1 (ends with error=access_denied), so a test drives the whole flow over HTTP.
//  - a GitHub-style OAuth 2.0 server: /login/oauth/authorize, /login/oauth/access_token, /api/v3/user,
//    /api/v3/user/emails (the GitHub Enterprise Server layout), PKCE S256 checked.
import { createHash, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const listen = (server) =>
  new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${server.address().port}`)));

const accounts = new Map();

/** oidc-provider's storage port, in memory (its built-in one works too but warns on every run). */
class MemoryAdapter {
  static store = new Map();
  constructor(name) {
    this.name = name;
  }
  key(id) {
    return `${this.name}:${id}`;
  }
  async upsert(id, payload) {
    MemoryAdapter.store.set(this.key(id), payload);
    if (payload.uid) MemoryAdapter.store.set(`uid:${payload.uid}`, this.key(id));
    if (payload.userCode) MemoryAdapter.store.set(`userCode:${payload.userCode}`, this.key(id));
  }
  async find(id) {
    return MemoryAdapter.store.get(this.key(id));
  }
  async findByUid(uid) {
    return MemoryAdapter.store.get(MemoryAdapter.store.get(`uid:${uid}`));
  }
  async findByUserCode(userCode) {
    return MemoryAdapter.store.get(MemoryAdapter.store.get(`userCode:${userCode}`));
  }
  async consume(id) {
    const payload = MemoryAdapter.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id) {
    MemoryAdapter.store.delete(this.key(id));
  }
  async revokeByGrantId(grantId) {
    for (const [key, payload] of MemoryAdapter.store) if (payload?.grantId === grantId) MemoryAdapter.store.delete(key);
  }
}

async function startOidcProvider() {
  const server = createServer();
  const issuer = await listen(server);
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: "upstream-test", use: "sig", alg: "RS256" }] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    features: { devInteractions: { enabled: false }, registration: { enabled: true } },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...accounts.get(id) }) }),
    pkce: { required: () => true },
    ttl: { Session: 600, Interaction: 600, Grant: 600, AccessToken: 600, AuthorizationCode: 60, IdToken: 600 },
  });
  provider.proxy = false;
  const callback = provider.callback();
  server.on("request", async (req, res) => {
    const url = new URL(req.url, issuer);
    const match = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (!match) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (url.searchParams.get("deny")) {
        await provider.interactionFinished(req, res, { error: "access_denied", error_description: "The user declined" }, { mergeWithLastSubmission: false });
        return;
      }
      const sub = url.searchParams.get("sub") ?? "someone";
      accounts.set(sub, {
        email: url.searchParams.get("email") ?? undefined,
        email_verified: url.searchParams.get("email_verified") === "true",
        name: url.searchParams.get("name") ?? undefined,
      });
      const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      await provider.interactionFinished(req, res, { login: { accountId: sub }, consent: { grantId } }, { mergeWithLastSubmission: false });
    } catch (error) {
      res.statusCode = 500;
      res.end(String(error));
    }
  });
  return { issuer, server };
}

const s256 = (verifier) => createHash("sha256").update(verifier).digest("base64url");

function readBody(req) {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => resolve(new URLSearchParams(body)));
  });
}

/** GitHub's OAuth App flow, as GitHub documents it, against users the test names in the authorize request. */
async function startGitHubFake() {
  const server = createServer();
  const base = await listen(server);
  const codes = new Map();
  const tokens = new Map();
  const send = (res, status, body) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(body));
  };
  server.on("request", async (req, res) => {
    const url = new URL(req.url, base);
    if (url.pathname === "/login/oauth/authorize") {
      // The test appends fake_user (base64url JSON: id, login, name, email, emails) in place of GitHub's consent page.
      const user = JSON.parse(Buffer.from(url.searchParams.get("fake_user") ?? "", "base64url").toString() || "{}");
      const code = randomBytes(16).toString("hex");
      codes.set(code, { user, challenge: url.searchParams.get("code_challenge"), redirectUri: url.searchParams.get("redirect_uri"), clientId: url.searchParams.get("client_id") });
      const back = new URL(url.searchParams.get("redirect_uri"));
      back.searchParams.set("code", code);
      back.searchParams.set("state", url.searchParams.get("state") ?? "");
      res.writeHead(302, { Location: back.href });
      return res.end();
    }
    if (url.pathname === "/login/oauth/access_token" && req.method === "POST") {
      const form = await readBody(req);
      const grant = codes.get(form.get("code") ?? "");
      codes.delete(form.get("code") ?? "");
      // GitHub answers token errors with 200 and an error member.
      if (!grant || grant.clientId !== form.get("client_id") || form.get("client_secret") !== "github-secret") return send(res, 200, { error: "bad_verification_code" });
      if (grant.redirectUri !== form.get("redirect_uri") || s256(form.get("code_verifier") ?? "") !== grant.challenge) return send(res, 200, { error: "bad_verification_code" });
      const token = `gho_${randomBytes(16).toString("hex")}`;
      tokens.set(token, grant.user);
      return send(res, 200, { access_token: token, token_type: "bearer", scope: "read:user,user:email" });
    }
    const user = tokens.get((req.headers.authorization ?? "").replace(/^Bearer /, ""));
    if (!user) return send(res, 401, { message: "Bad credentials" });
    if (url.pathname === "/api/v3/user") return send(res, 200, { id: user.id, login: user.login, name: user.name ?? null, email: user.email ?? null, ...(user.extra ?? {}) });
    if (url.pathname === "/api/v3/user/emails") return send(res, 200, user.emails ?? []);
    return send(res, 404, { message: "Not Found" });
  });
  return { base, server };
}

export default async function setup(project) {
  const oidc = await startOidcProvider();
  const github = await startGitHubFake();
  project.provide("upstreamOidcIssuer", oidc.issuer);
  project.provide("upstreamGitHubUrl", github.base);
  return async () => {
    oidc.server.closeAllConnections();
    github.server.closeAllConnections();
    await Promise.all([new Promise((r) => oidc.server.close(r)), new Promise((r) => github.server.close(r))]);
  };
}
