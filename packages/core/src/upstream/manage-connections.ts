import { recordAuditEvent } from "../audit/record-audit-event";
import type { Actor, CoreDeps, TenantScope } from "../deps";
import { PlintoError } from "../errors";
import type { UpstreamConnection, UpstreamProviderKind } from "../ports/oauth-repositories";
import { APPLE_PRIVATE_KEY_OPTION, applePrivateKeyContext, clientSecretContext } from "./connection-secrets";
import { type ConnectionConfig, validateConnection } from "./connection-validation";

/** What the admin API sends; `options.private_key` (Apple) is write-only like `clientSecret`. */
export interface ConnectionInput {
  slug: string;
  kind: UpstreamProviderKind;
  displayName: string;
  enabled: boolean;
  clientId: string;
  /** A string sets the secret, null clears it, undefined (update) keeps it. */
  clientSecret?: string | null;
  issuer: string | null;
  authorizationEndpoint: string | null;
  tokenEndpoint: string | null;
  userinfoEndpoint: string | null;
  scopes: string[];
  options: Record<string, unknown>;
}

export type ConnectionPatch = Partial<Omit<ConnectionInput, "kind">>;

export async function requireConnection(deps: CoreDeps, scope: TenantScope, id: string): Promise<UpstreamConnection> {
  const connection = await deps.storage.upstreamConnections.get(scope.tenant.id, id);
  if (!connection) throw new PlintoError("not_found", { detail: "no connection with this id" });
  return connection;
}

/** Splits the write-only Apple key out of `options` and checks the whole configuration. */
async function checked(deps: CoreDeps, input: ConnectionInput, stored: UpstreamConnection | null, allowHttp: boolean) {
  const { private_key: privateKey, ...options } = input.options;
  const applePrivateKey = typeof privateKey === "string" ? privateKey : null;
  const hasClientSecret = input.clientSecret === undefined ? stored?.clientSecretEncrypted != null : input.clientSecret !== null;
  const config: ConnectionConfig = {
    ...input,
    options,
    hasClientSecret,
    applePrivateKey,
    hasApplePrivateKey: applePrivateKey !== null || typeof stored?.options[APPLE_PRIVATE_KEY_OPTION] === "string",
  };
  if (privateKey !== undefined && applePrivateKey === null) throw new PlintoError("validation_failed", { errors: [{ path: "options.private_key", message: "a PEM string", code: "invalid_type" }] });
  await validateConnection(config, allowHttp, deps.clock.now());
  return { options, applePrivateKey };
}

/** Builds the stored record: secrets sealed with the vault under this connection's contexts. */
async function sealed(deps: CoreDeps, input: ConnectionInput, base: UpstreamConnection, allowHttp: boolean, stored: UpstreamConnection | null): Promise<UpstreamConnection> {
  const { options, applePrivateKey } = await checked(deps, input, stored, allowHttp);
  const keptKey = stored?.options[APPLE_PRIVATE_KEY_OPTION];
  const sealedKey = applePrivateKey !== null ? await deps.vault.encrypt(applePrivateKey, applePrivateKeyContext(base.tenantId, base.id)) : keptKey;
  const secret = input.clientSecret;
  return {
    ...base,
    slug: input.slug,
    displayName: input.displayName,
    enabled: input.enabled,
    clientId: input.clientId,
    clientSecretEncrypted: secret === undefined ? (stored?.clientSecretEncrypted ?? null) : secret === null ? null : await deps.vault.encrypt(secret, clientSecretContext(base.tenantId, base.id)),
    issuer: input.issuer,
    authorizationEndpoint: input.authorizationEndpoint,
    tokenEndpoint: input.tokenEndpoint,
    userinfoEndpoint: input.userinfoEndpoint,
    scopes: [...new Set(input.scopes)],
    options: typeof sealedKey === "string" && input.kind === "apple" ? { ...options, [APPLE_PRIVATE_KEY_OPTION]: sealedKey } : options,
    updatedAt: deps.clock.now(),
  };
}

export async function createConnection(deps: CoreDeps, scope: TenantScope, actor: Actor, input: ConnectionInput, allowHttp: boolean): Promise<UpstreamConnection> {
  const now = deps.clock.now();
  const base: UpstreamConnection = {
    id: deps.ids.newId("con"),
    tenantId: scope.tenant.id,
    slug: input.slug,
    kind: input.kind,
    displayName: input.displayName,
    enabled: input.enabled,
    clientId: input.clientId,
    clientSecretEncrypted: null,
    issuer: null,
    authorizationEndpoint: null,
    tokenEndpoint: null,
    userinfoEndpoint: null,
    jwksUri: null,
    scopes: [],
    options: {},
    createdAt: now,
    updatedAt: now,
  };
  const connection = await sealed(deps, input, base, allowHttp, null);
  await deps.storage.upstreamConnections.insert(connection);
  await recordAuditEvent(deps, scope, { type: "upstream_connection.created", actor, subjectId: connection.id, data: { slug: connection.slug, kind: connection.kind } });
  return connection;
}

/** Applies a partial update over the stored connection and validates the result as a whole (the kind never changes). */
export async function updateConnection(deps: CoreDeps, scope: TenantScope, actor: Actor, id: string, patch: ConnectionPatch, allowHttp: boolean): Promise<UpstreamConnection> {
  const stored = await requireConnection(deps, scope, id);
  const { [APPLE_PRIVATE_KEY_OPTION]: _sealedKey, ...storedOptions } = stored.options;
  const input: ConnectionInput = {
    slug: patch.slug ?? stored.slug,
    kind: stored.kind,
    displayName: patch.displayName ?? stored.displayName,
    enabled: patch.enabled ?? stored.enabled,
    clientId: patch.clientId ?? stored.clientId,
    clientSecret: patch.clientSecret,
    issuer: patch.issuer !== undefined ? patch.issuer : stored.issuer,
    authorizationEndpoint: patch.authorizationEndpoint !== undefined ? patch.authorizationEndpoint : stored.authorizationEndpoint,
    tokenEndpoint: patch.tokenEndpoint !== undefined ? patch.tokenEndpoint : stored.tokenEndpoint,
    userinfoEndpoint: patch.userinfoEndpoint !== undefined ? patch.userinfoEndpoint : stored.userinfoEndpoint,
    scopes: patch.scopes ?? stored.scopes,
    options: patch.options ?? storedOptions,
  };
  const connection = await sealed(deps, input, stored, allowHttp, stored);
  if (!(await deps.storage.upstreamConnections.update(connection))) throw new PlintoError("not_found", { detail: "no connection with this id" });
  const changed = Object.keys(patch).filter((key) => key !== "clientSecret");
  await recordAuditEvent(deps, scope, {
    type: "upstream_connection.updated",
    actor,
    subjectId: id,
    data: { slug: connection.slug, changed, ...(patch.clientSecret !== undefined ? { client_secret: patch.clientSecret === null ? "cleared" : "replaced" } : {}) },
  });
  return connection;
}

/** Deletes the connection and every identity linked through it (the users stay). */
export async function deleteConnection(deps: CoreDeps, scope: TenantScope, actor: Actor, id: string): Promise<void> {
  const connection = await requireConnection(deps, scope, id);
  await deps.storage.linkedIdentities.deleteForConnection(scope.tenant.id, id);
  await deps.storage.upstreamConnections.delete(scope.tenant.id, id);
  await recordAuditEvent(deps, scope, { type: "upstream_connection.deleted", actor, subjectId: id, data: { slug: connection.slug, kind: connection.kind } });
}
