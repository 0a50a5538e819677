import type {
  ApiKey,
  AuditEvent,
  EmailKind,
  EmailTemplateOverride,
  OneTimePurpose,
  OneTimeToken,
  Page,
  Passkey,
  SigningKey,
  Tenant,
  User,
} from "@plinto/core";
import { parseStoredSettings } from "@plinto/contracts";
import type {
  apiKeys,
  auditEvents,
  emailTemplates,
  oneTimeTokens,
  passkeys,
  signingKeys,
  tenants,
  users,
} from "@plinto/schema/sqlite";

/**
 * Row <-> domain mapping for both backends. schema/pg.ts mirrors
 * schema/sqlite.ts column for column (times as JS numbers, JSON as text,
 * booleans), so a Postgres row has the same type as a D1 row and one mapper
 * serves both. JSON columns are parsed here and nowhere else.
 */
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

/** The event without its chain columns (those are read by chainedFromRow, audit-rows.ts). */
export const auditFromRow = (row: typeof auditEvents.$inferSelect): AuditEvent => ({
  id: row.id,
  tenantId: row.tenantId,
  type: row.type,
  actorType: row.actorType,
  actorId: row.actorId,
  subjectId: row.subjectId,
  ip: row.ip,
  userAgent: row.userAgent,
  data: JSON.parse(row.data) as Record<string, unknown>,
  createdAt: row.createdAt,
});
export const auditToRow = (event: AuditEvent): typeof auditEvents.$inferInsert => ({
  ...event,
  data: JSON.stringify(event.data),
});

/** Escapes LIKE wildcards so `text` matches literally anywhere in a column (used with `ESCAPE '\\'`). */
export const likeContains = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const oneTimeTokenFromRow = (row: typeof oneTimeTokens.$inferSelect): OneTimeToken => ({
  ...row,
  purpose: row.purpose as OneTimePurpose,
  data: JSON.parse(row.data) as Record<string, unknown>,
});
export const oneTimeTokenToRow = (token: OneTimeToken): typeof oneTimeTokens.$inferInsert => ({
  ...token,
  data: JSON.stringify(token.data),
});

export const passkeyFromRow = (row: typeof passkeys.$inferSelect): Passkey => ({
  ...row,
  transports: JSON.parse(row.transports) as string[],
});
export const passkeyToRow = (passkey: Passkey): typeof passkeys.$inferInsert => ({
  ...passkey,
  transports: JSON.stringify(passkey.transports),
});

export const emailTemplateFromRow = (row: typeof emailTemplates.$inferSelect): EmailTemplateOverride => ({
  ...row,
  kind: row.kind as EmailKind,
});

/** Escapes LIKE wildcards so a search string matches literally (used with `ESCAPE '\'`). */
export const likePrefix = (text: string): string => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Cursor pages: queries fetch `limit + 1` rows, newest first; the extra row only says that more follow. */
export function pageOf<R, T extends { id: string }>(rows: R[], limit: number, fromRow: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit).map(fromRow);
  return { items, nextAfterId: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
