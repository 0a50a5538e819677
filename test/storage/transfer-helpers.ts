import { APPLE_PRIVATE_KEY_OPTION, applePrivateKeyContext, clientSecretContext, createKeyVault, type Storage } from "@plinto/core";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { buildApp } from "../../workers/api/app";
import { storageFor } from "../../workers/api/storage";
import { newId, NOW, passkeyRow, tokenRow, totpRow, userRow } from "./fixtures";
import { connectionRow, linkedIdentityRow, oauthClientRow, oauthConsentRow, oauthGrantRow } from "./fixtures-oauth";

/**
 * The two backends of this run side by side (vitest.pg.config.ts binds both):
 * the worker on D1 (HYPERDRIVE unbound) and on Postgres.
 */
export const backends = {
  d1: { ...env, HYPERDRIVE: undefined } satisfies Env,
  postgres: env,
};
export type Backend = keyof typeof backends;

const app = buildApp();
export const OPERATOR = { Authorization: `Bearer ${env.OPERATOR_KEY}` };

/** One request through the worker with `target`'s bindings (its own env: its own backend). */
export async function send(target: Env, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await app.fetch(new Request(`http://localhost${path}`, init), target, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export async function exportText(target: Env, slug: string): Promise<string> {
  const response = await send(target, `/api/v1/operator/tenants/${slug}/export`, { headers: OPERATOR });
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toBe("application/x-ndjson");
  return new TextDecoder().decode(await response.arrayBuffer()); // NDJSON: workerd's text() warns on non-text types
}

export const importText = (target: Env, body: string, headers: Record<string, string> = OPERATOR) =>
  send(target, "/api/v1/operator/tenants/import", {
    method: "POST",
    headers: { ...headers, "Content-Type": "application/x-ndjson" },
    body,
  });

/** The export's lines without the header's export time (two exports of one tenant differ only there). */
export const comparable = (text: string): unknown[] =>
  text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .map(({ exported_at: _, ...rest }) => rest);

/**
 * Fills a tenant with a row in every table a user's account touches, besides
 * what the API wrote: many users (the export then exceeds the 64 KiB default
 * body limit), a vault-sealed TOTP factor, recovery codes, a passkey, an
 * email template, a pending one-time token, and the OAuth provider and
 * upstream sign-in tables (client, grant, consent, connections, linked identity).
 */
export async function seedTenant(storage: Storage, tenantId: string): Promise<void> {
  for (let i = 0; i < 150; i++) await storage.users.create(userRow(tenantId, { metadata: { i, note: "x".repeat(200) } }));
  // Second factors on another user than the password user, whose sign-in then needs no MFA.
  const { id: userId } = userRow(tenantId);
  await storage.users.create(userRow(tenantId, { id: userId }));
  const vault = await createKeyVault(env.KEY_ENCRYPTION_SECRET);
  const factorId = newId("mfa");
  const secretEncrypted = await vault.encrypt("JBSWY3DPEHPK3PXP", `totp:${tenantId}:${factorId}`);
  await storage.totpFactors.putPending(totpRow(tenantId, userId, { id: factorId, secretEncrypted }));
  await storage.recoveryCodes.replaceAll(tenantId, userId, [newId("rc"), newId("rc")], NOW);
  await storage.passkeys.insert(passkeyRow(tenantId, userId));
  await storage.emailTemplates.put({ tenantId, kind: "magic_link", subject: "Sign in", text: "{{link}}", html: "<a>x</a>", updatedAt: NOW });
  await storage.oneTimeTokens.put(tokenRow(tenantId));
  await seedOAuth(storage, tenantId, userId);
}

/** An OAuth client (secret digest) with a grant and consent, and upstream connections with vault-sealed secrets and a linked identity. */
async function seedOAuth(storage: Storage, tenantId: string, userId: string): Promise<void> {
  const vault = await createKeyVault(env.KEY_ENCRYPTION_SECRET);
  const client = oauthClientRow(tenantId);
  await storage.oauthClients.insert(client);
  await storage.oauthGrants.insert(oauthGrantRow(client, userId, { loginSessionId: newId("ses") }));
  await storage.oauthConsents.put(oauthConsentRow(client, userId));
  const google = connectionRow(tenantId);
  google.clientSecretEncrypted = await vault.encrypt("upstream-secret", clientSecretContext(tenantId, google.id));
  const apple = connectionRow(tenantId, { kind: "apple", clientSecretEncrypted: null });
  apple.options = { team_id: "TEAM", key_id: "KEY", [APPLE_PRIVATE_KEY_OPTION]: await vault.encrypt("-----BEGIN PRIVATE KEY-----", applePrivateKeyContext(tenantId, apple.id)) };
  await storage.upstreamConnections.insert(google);
  await storage.upstreamConnections.insert(apple);
  await storage.linkedIdentities.insert(linkedIdentityRow(google, userId));
}

export const storageOf = (backend: Backend): Storage => storageFor(backends[backend]);
