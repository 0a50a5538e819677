import { exportPKCS8, exportSPKI, generateKeyPair, importSPKI, jwtVerify, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import type { UpstreamConnection } from "../ports/oauth-repositories";
import { appleClientSecret, isAppleSigningKey } from "./apple-client-secret";
import { checkProviderUrl } from "./connection-validation";
import { microsoftIssuerRule } from "./endpoints";
import { MICROSOFT_CONSUMERS_TID, presetFor, requestedScopes } from "./presets";
import { profileFromClaims } from "./upstream-profile";

const connection = (kind: UpstreamConnection["kind"], options: Record<string, unknown> = {}, extra: Partial<UpstreamConnection> = {}) => ({
  kind,
  issuer: null,
  authorizationEndpoint: null,
  tokenEndpoint: null,
  userinfoEndpoint: null,
  options,
  ...extra,
});

const TID = "72f988bf-86f1-41af-91ab-2d7cd011db47";

describe("provider presets", () => {
  it("fix the issuers and endpoints of Google, Apple, Microsoft and GitHub", () => {
    expect(presetFor(connection("google"))).toMatchObject({ protocol: "oidc", issuer: "https://accounts.google.com", defaultScopes: ["openid", "email", "profile"] });
    expect(presetFor(connection("apple"))).toMatchObject({ protocol: "oidc", issuer: "https://appleid.apple.com", defaultScopes: ["openid", "name", "email"] });
    expect(presetFor(connection("microsoft")).issuer).toBe("https://login.microsoftonline.com/common/v2.0");
    expect(presetFor(connection("microsoft", { tenant: TID })).issuer).toBe(`https://login.microsoftonline.com/${TID}/v2.0`);
    expect(presetFor(connection("github"))).toMatchObject({
      protocol: "oauth2",
      authorizationEndpoint: "https://github.com/login/oauth/authorize",
      tokenEndpoint: "https://github.com/login/oauth/access_token",
      userinfoEndpoint: "https://api.github.com/user",
      defaultScopes: ["read:user", "user:email"],
    });
    expect(presetFor(connection("github", { enterprise_url: "https://ghe.example.com/" }))).toMatchObject({
      authorizationEndpoint: "https://ghe.example.com/login/oauth/authorize",
      tokenEndpoint: "https://ghe.example.com/login/oauth/access_token",
      userinfoEndpoint: "https://ghe.example.com/api/v3/user",
    });
  });

  it("take a generic connection's own issuer, endpoints and claim mapping", () => {
    expect(presetFor(connection("oidc", {}, { issuer: "https://idp.example.com" }))).toMatchObject({ protocol: "oidc", issuer: "https://idp.example.com" });
    const oauth2 = presetFor(connection("oauth2", { claims: { subject: "id", email_verified: "verified" } }, { authorizationEndpoint: "https://a.example/auth", tokenEndpoint: "https://a.example/token" }));
    expect(oauth2).toMatchObject({ protocol: "oauth2", authorizationEndpoint: "https://a.example/auth", tokenEndpoint: "https://a.example/token" });
    expect(oauth2.claims).toEqual({ subject: "id", email: "email", emailVerified: "verified", name: "name" });
  });

  it("always ask an OIDC provider for openid", () => {
    const google = presetFor(connection("google"));
    expect(requestedScopes({ scopes: [] }, google)).toEqual(["openid", "email", "profile"]);
    expect(requestedScopes({ scopes: ["email"] }, google)).toEqual(["openid", "email"]);
    expect(requestedScopes({ scopes: ["repo"] }, presetFor(connection("github")))).toEqual(["repo"]);
  });
});

describe("Microsoft issuer rule", () => {
  const iss = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`;

  it("accepts the templated discovery issuer for common and a token whose iss names its own tid", () => {
    const rule = microsoftIssuerRule("common");
    expect(rule.discovery("https://login.microsoftonline.com/{tenantid}/v2.0")).toBe(true);
    expect(rule.discovery("https://evil.example/{tenantid}/v2.0")).toBe(false);
    expect(rule.token?.(iss(TID), { tid: TID })).toBe(true);
    expect(rule.token?.(iss(TID), { tid: MICROSOFT_CONSUMERS_TID })).toBe(false);
    expect(rule.token?.(iss("{tenantid}"), { tid: "{tenantid}" })).toBe(false);
    expect(rule.token?.(iss(TID), {})).toBe(false);
  });

  it("keeps personal accounts out of organizations and only them in consumers", () => {
    expect(microsoftIssuerRule("organizations").token?.(iss(MICROSOFT_CONSUMERS_TID), { tid: MICROSOFT_CONSUMERS_TID })).toBe(false);
    expect(microsoftIssuerRule("organizations").token?.(iss(TID), { tid: TID })).toBe(true);
    expect(microsoftIssuerRule("consumers").token?.(iss(TID), { tid: TID })).toBe(false);
    expect(microsoftIssuerRule("consumers").token?.(iss(MICROSOFT_CONSUMERS_TID), { tid: MICROSOFT_CONSUMERS_TID })).toBe(true);
  });

  it("pins a single tenant to its own issuer (the default exact match)", () => {
    const rule = microsoftIssuerRule(TID);
    expect(rule.discovery(iss(TID))).toBe(true);
    expect(rule.discovery(iss("00000000-0000-0000-0000-000000000000"))).toBe(false);
    expect(rule.token).toBeNull();
    expect(microsoftIssuerRule("contoso.onmicrosoft.com").discovery(iss(TID))).toBe(true);
  });
});

describe("profile claims", () => {
  it("reads Apple's string \"true\" as verified and nothing else", () => {
    const mapping = presetFor(connection("apple")).claims;
    expect(profileFromClaims({ sub: "a", email: "a@x.example", email_verified: "true" }, mapping).emailVerified).toBe(true);
    expect(profileFromClaims({ sub: "a", email: "a@x.example", email_verified: "false" }, mapping).emailVerified).toBe(false);
    expect(profileFromClaims({ sub: "a", email: "a@x.example", email_verified: 1 }, mapping).emailVerified).toBe(false);
  });

  it("trusts only xms_edov for Microsoft, never its email_verified or bare email", () => {
    const mapping = presetFor(connection("microsoft")).claims;
    expect(profileFromClaims({ sub: "m", email: "m@x.example", email_verified: true }, mapping).emailVerified).toBe(false);
    expect(profileFromClaims({ sub: "m", email: "m@x.example", xms_edov: true }, mapping).emailVerified).toBe(true);
  });

  it("takes GitHub's numeric id as the subject and never verifies from /user", () => {
    const profile = profileFromClaims({ id: 583231, login: "octocat", email: "o@x.example", email_verified: true }, presetFor(connection("github")).claims);
    expect(profile).toMatchObject({ subject: "583231", emailVerified: false, extra: { login: "octocat" } });
  });
});

describe("Apple client secret", () => {
  it("is an ES256 JWT from the team to Apple, signed with the .p8 key", async () => {
    const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
    const pem = await exportPKCS8(privateKey);
    expect(await isAppleSigningKey(pem)).toBe(true);
    expect(await isAppleSigningKey("-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----")).toBe(false);
    const now = Date.now();
    const secret = await appleClientSecret({ teamId: "TEAM123456", keyId: "KEY1234567", clientId: "com.example.web", privateKeyPem: pem, now });
    expect(decodeProtectedHeader(secret)).toEqual({ alg: "ES256", kid: "KEY1234567" });
    const { payload } = await jwtVerify(secret, await importSPKI(await exportSPKI(publicKey), "ES256"), {
      issuer: "TEAM123456",
      audience: "https://appleid.apple.com",
      subject: "com.example.web",
      currentDate: new Date(now),
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
  });
});

describe("provider URLs", () => {
  it("are https to a public host, or http to a loopback address only when allowed", () => {
    expect(checkProviderUrl("https://idp.example.com", false)).toBeNull();
    expect(checkProviderUrl("http://idp.example.com", false)).toBe("must be https");
    expect(checkProviderUrl("http://127.0.0.1:8080", false)).toBe("must be https");
    expect(checkProviderUrl("http://127.0.0.1:8080", true)).toBeNull();
    expect(checkProviderUrl("http://10.0.0.1", true)).not.toBeNull();
    expect(checkProviderUrl("https://10.0.0.1", false)).toBe("private, loopback or link-local addresses are not allowed");
    expect(checkProviderUrl("https://169.254.169.254/latest", false)).not.toBeNull();
    expect(checkProviderUrl("https://localhost", false)).not.toBeNull();
    expect(checkProviderUrl("https://127.0.0.1", false)).not.toBeNull();
    expect(checkProviderUrl("https://user:pw@idp.example.com", false)).not.toBeNull();
    expect(checkProviderUrl("not a url", false)).toBe("not a URL");
  });
});
