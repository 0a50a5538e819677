import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { storageFor } from "../../workers/api/storage";
import { allAuditEvents } from "./admin-helpers";
import { lastMailTo, tokenIn } from "./email-helpers";
import { json, STRONG_PASSWORD, type TestTenant, type TokenBody, uniqueSlug } from "./helpers";
import { enrolTotp, type World, world } from "./mfa-helpers";
import { APP_ORIGIN, passkeyTenant, registerPasskey } from "./passkey-helpers";
import { rawSql } from "./audit-chain-helpers";
import { SoftAuthenticator } from "./webauthn-authenticator";

/** Someone with one of everything Plinto keeps: sessions, TOTP, recovery codes, a passkey, a pending reset link, audit events. */
export interface Person {
  w: World;
  tenant: TestTenant;
  id: string;
  email: string;
  name: string;
  ip: string;
  userAgent: string;
  /** Tokens of the sign-up session (the one that enrolled everything) and of a second sign-in. */
  first: TokenBody;
  second: TokenBody;
  totpSecret: string;
  recoveryCodes: string[];
  passkeyId: string;
  resetToken: string;
}

/**
 * An IP and user agent nobody else in the run uses, so a table scan for them
 * means this person. Random within the IPv6 documentation prefix (RFC 3849):
 * on Postgres every test file shares one database, so a per-file counter
 * would repeat another file's addresses.
 */
function uniqueNetwork(): { ip: string; userAgent: string } {
  const groups = [...crypto.getRandomValues(new Uint16Array(4))].map((group) => group.toString(16));
  return { ip: `2001:db8:${groups.join(":")}::1`, userAgent: `GdprTestBrowser/${uniqueSlug("ua")}` };
}

export async function givenPerson(existing?: { tenant: TestTenant; w: World }): Promise<Person> {
  const w = existing?.w ?? (await world(await passkeyTenant()));
  const { tenant } = w;
  const { ip, userAgent } = uniqueNetwork();
  const as = { ip, headers: { "User-Agent": userAgent } };
  const slug = uniqueSlug("p");
  const email = `erase-me-${slug}@example.com`;
  const name = `Ada Erasable ${slug}`;

  const signedUp = await w.send(`${tenant.base}/identities`, { ...as, body: { email, password: STRONG_PASSWORD, name } });
  expect(signedUp.status).toBe(201);
  const first = await json<TokenBody>(signedUp);
  const id = first.user?.id ?? "";
  const signedIn = await w.send(`${tenant.base}/sessions`, { ...as, body: { email, password: STRONG_PASSWORD } });
  expect(signedIn.status).toBe(200);
  const second = await json<TokenBody>(signedIn);

  const passkey = await registerPasskey(tenant, first, new SoftAuthenticator({ origin: APP_ORIGIN }), {}, (path, options) =>
    w.send(path, { ...as, ...options, headers: { ...as.headers, ...options?.headers } }),
  );
  const { enrollment, recoveryCodes } = await enrolTotp(w, first.access_token);
  expect((await w.send(`${tenant.base}/password-reset`, { ...as, body: { email } })).status).toBe(202);
  const resetToken = tokenIn(await lastMailTo({ clock: w.clock, call: w.send }, email));

  return { w, tenant, id, email, name, ip, userAgent, first, second, totpSecret: enrollment.secret, recoveryCodes, passkeyId: passkey.id, resetToken };
}

export interface LinkedAccounts {
  clientId: string;
  clientName: string;
  connectionId: string;
  connectionName: string;
  identityId: string;
  subject: string;
  grantSessionId: string;
}

/**
 * A third-party OAuth client the person consented to (with a grant) and an
 * upstream account linked to them, written through storage: what the OAuth
 * provider and upstream sign-in keep about a user.
 */
export async function givenLinkedAccounts(person: Person): Promise<LinkedAccounts> {
  const storage = storageFor(env);
  const { tenant, id: userId } = person;
  const now = person.w.clock.now();
  const tag = uniqueSlug("oa");
  const clientId = `cli_${tag}`;
  const connectionId = `con_${tag}`;
  const accounts = {
    clientId,
    clientName: `Photos ${tag}`,
    connectionId,
    connectionName: `Google ${tag}`,
    identityId: `lid_${tag}`,
    subject: `upstream-sub-${tag}`,
    grantSessionId: `ses_grant_${tag}`,
  };
  await storage.oauthClients.insert({
    id: clientId, tenantId: tenant.id, name: accounts.clientName, type: "confidential", firstParty: false,
    tokenEndpointAuthMethod: "client_secret_basic", secretHash: `client-secret-digest-${tag}`, jwks: null,
    redirectUris: ["https://photos.example.com/cb"], postLogoutRedirectUris: [], grantTypes: ["authorization_code"],
    allowedScopes: ["openid", "profile"], allowedResources: [], accessTokenTtlSeconds: null, refreshTokenTtlSeconds: null,
    metadata: {}, createdVia: "admin", registrationTokenHash: null, createdAt: now, updatedAt: now,
  });
  await storage.oauthGrants.insert({
    sessionId: accounts.grantSessionId, tenantId: tenant.id, userId, clientId, scope: "openid profile", resources: [],
    authTime: now, acr: null, loginSessionId: person.second.session_id, createdAt: now,
  });
  await storage.oauthConsents.put({ tenantId: tenant.id, userId, clientId, scopes: ["openid", "profile"], createdAt: now, updatedAt: now });
  await storage.upstreamConnections.insert({
    id: connectionId, tenantId: tenant.id, slug: tag, kind: "google", displayName: accounts.connectionName, enabled: true,
    clientId: "upstream-client", clientSecretEncrypted: `upstream-secret-sealed-${tag}`, issuer: "https://accounts.google.com",
    authorizationEndpoint: null, tokenEndpoint: null, userinfoEndpoint: null, jwksUri: null, scopes: ["openid", "email"],
    options: {}, createdAt: now, updatedAt: now,
  });
  await storage.linkedIdentities.insert({
    id: accounts.identityId, tenantId: tenant.id, userId, connectionId, subject: accounts.subject, email: person.email,
    profile: { name: person.name }, createdAt: now, lastSignInAt: now,
  });
  return accounts;
}

/** Every value about `person` that must never leave Plinto: what the API handed out and what the tables hold in place of secrets. */
export async function secretsOf(person: Person): Promise<string[]> {
  const { tenant, id } = person;
  const users = await rawSql("select password_hash from users where tenant_id = ? and id = ?", [tenant.id, id]);
  const totp = await rawSql("select secret_encrypted from totp_factors where tenant_id = ? and user_id = ?", [tenant.id, id]);
  const codes = await rawSql("select code_hash from recovery_codes where tenant_id = ? and user_id = ?", [tenant.id, id]);
  const tokens = await rawSql("select id from one_time_tokens where tenant_id = ?", [tenant.id]);
  const clients = await rawSql("select secret_hash from oauth_clients where tenant_id = ? and secret_hash is not null", [tenant.id]);
  const connections = await rawSql("select client_secret_encrypted from upstream_connections where tenant_id = ? and client_secret_encrypted is not null", [tenant.id]);
  const stored = [
    ...users.map((row) => row.password_hash),
    ...totp.map((row) => row.secret_encrypted),
    ...codes.map((row) => row.code_hash),
    ...tokens.map((row) => row.id),
    ...clients.map((row) => row.secret_hash),
    ...connections.map((row) => row.client_secret_encrypted),
  ].map(String);
  expect(stored.length).toBeGreaterThanOrEqual(1 + 1 + person.recoveryCodes.length + 1);
  return [
    STRONG_PASSWORD,
    person.first.access_token,
    person.first.refresh_token,
    person.second.access_token,
    person.second.refresh_token,
    person.totpSecret,
    ...person.recoveryCodes,
    person.resetToken,
    ...stored,
  ];
}

/** The person's audit events as the admin list shows them (a check that the fixture produced some). */
export async function auditAbout(person: Person) {
  return allAuditEvents(person.tenant, { subject_id: person.id });
}
