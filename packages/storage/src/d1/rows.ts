import type { ApiKey, AuditEvent, SigningKey, Tenant, User } from "@plinto/core";
import { parseStoredSettings } from "@plinto/contracts";
import type { apiKeys, auditEvents, signingKeys, tenants, users } from "@plinto/schema/sqlite";

/** Row <-> domain mapping for the D1 schema. JSON columns are parsed here and nowhere else. */
export const tenantFromRow = (row: typeof tenants.$inferSelect): Tenant => ({
  ...row,
  settings: parseStoredSettings(JSON.parse(row.settings)),
});
export const tenantToRow = (tenant: Tenant): typeof tenants.$inferInsert => ({
  ...tenant,
  settings: JSON.stringify(tenant.settings),
});

export const userFromRow = (row: typeof users.$inferSelect): User => ({
  ...row,
  metadata: JSON.parse(row.metadata) as Record<string, unknown>,
});
export const userToRow = (user: User): typeof users.$inferInsert => ({
  ...user,
  metadata: JSON.stringify(user.metadata),
});

export const signingKeyFromRow = (row: typeof signingKeys.$inferSelect): SigningKey => ({
  kid: row.id,
  tenantId: row.tenantId,
  alg: row.alg,
  status: row.status,
  publicJwk: JSON.parse(row.publicJwk) as SigningKey["publicJwk"],
  privateJwkEncrypted: row.privateJwkEncrypted,
  createdAt: row.createdAt,
  retiredAt: row.retiredAt,
  publishUntil: row.publishUntil,
});
export const signingKeyToRow = (key: SigningKey): typeof signingKeys.$inferInsert => ({
  id: key.kid,
  tenantId: key.tenantId,
  alg: key.alg,
  status: key.status,
  publicJwk: JSON.stringify(key.publicJwk),
  privateJwkEncrypted: key.privateJwkEncrypted,
  createdAt: key.createdAt,
  retiredAt: key.retiredAt,
  publishUntil: key.publishUntil,
});

export const apiKeyFromRow = (row: typeof apiKeys.$inferSelect): ApiKey => row;

export const auditFromRow = (row: typeof auditEvents.$inferSelect): AuditEvent => ({
  ...row,
  data: JSON.parse(row.data) as Record<string, unknown>,
});
export const auditToRow = (event: AuditEvent): typeof auditEvents.$inferInsert => ({
  ...event,
  data: JSON.stringify(event.data),
});

/** Escapes LIKE wildcards so a search string matches literally. */
export const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const isUniqueViolation = (error: unknown): boolean =>
  error instanceof Error && /UNIQUE constraint failed/i.test(`${error.message} ${String(error.cause ?? "")}`);
