import { randomSecret, sha256 } from "../crypto/secrets";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ApiKey } from "../model";

/** Secret keys look like `sk_<43 base64url chars>` (256 bits). */
export const SECRET_KEY_PREFIX = "sk_";
const SHOWN_PREFIX_LENGTH = 10;
/** lastUsedAt is written at most this often per key, so authentication is not a write per request. */
const TOUCH_INTERVAL_MS = 60_000;

export interface CreatedApiKey {
  key: ApiKey;
  /** The only time the secret exists outside the caller's hands. */
  secret: string;
}

/** Makes a new secret key record; the caller persists it. */
export async function mintApiKey(deps: CoreDeps, tenantId: string, name: string): Promise<CreatedApiKey> {
  const secret = `${SECRET_KEY_PREFIX}${randomSecret(32)}`;
  const key: ApiKey = {
    id: deps.ids.newId("sk"),
    tenantId,
    name,
    prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
    secretHash: await sha256(secret),
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  return { key, secret };
}

export async function createApiKey(deps: CoreDeps, scope: TenantScope, name: string, actor: Actor): Promise<CreatedApiKey> {
  const created = await mintApiKey(deps, scope.tenant.id, name);
  await deps.storage.apiKeys.insert(created.key);
  await recordAuditEvent(deps, scope, { type: "api_key.created", actor, subjectId: created.key.id, data: { name } });
  return created;
}

export async function revokeApiKey(deps: CoreDeps, scope: TenantScope, id: string, actor: Actor): Promise<void> {
  const revoked = await deps.storage.apiKeys.revoke(scope.tenant.id, id, deps.clock.now());
  if (!revoked) throw new PlintoError("not_found", { detail: "no active secret key with this id" });
  await recordAuditEvent(deps, scope, { type: "api_key.revoked", actor, subjectId: id });
}

/** Resolves `sk_...` to its key; a key of another tenant or a revoked key is refused. */
export async function authenticateApiKey(deps: CoreDeps, tenantId: string, secret: string): Promise<ApiKey> {
  if (!secret.startsWith(SECRET_KEY_PREFIX) || secret.length > 200) throw new PlintoError("invalid_api_key");
  const key = await deps.storage.apiKeys.findBySecretHash(await sha256(secret));
  if (!key || key.tenantId !== tenantId || key.revokedAt !== null) throw new PlintoError("invalid_api_key");
  const now = deps.clock.now();
  if (key.lastUsedAt === null || now - key.lastUsedAt > TOUCH_INTERVAL_MS) await deps.storage.apiKeys.touch(key.id, now);
  return key;
}
