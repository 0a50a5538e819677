import type { ApiKey, AuditEvent, SessionRecord, SigningKey, Tenant, User } from "@plinto/core";
import { fromBase64url, issuerFor, PlintoError, toBase64url, utf8 } from "@plinto/core";
import Bowser from "bowser";

/** Wire views: what the API shows of each record. Secret columns (hashes, ciphertexts) never appear. */
const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const userView = (user: User) => ({
  id: user.id,
  email: user.email,
  email_verified: user.emailVerified,
  name: user.name,
  metadata: user.metadata,
  role: user.role,
  banned: user.bannedAt !== null,
  ban_reason: user.banReason,
  created_at: iso(user.createdAt),
  updated_at: iso(user.updatedAt),
  last_sign_in_at: isoOrNull(user.lastSignInAt),
});

export const sessionView = (session: SessionRecord, currentSessionId: string) => ({
  id: session.id,
  device: describeDevice(session.userAgent),
  ip: session.ip,
  created_at: iso(session.createdAt),
  last_used_at: iso(session.lastUsedAt),
  expires_at: iso(Math.min(session.expiresAt, session.idleExpiresAt)),
  current: session.id === currentSessionId,
});

/** "Chrome 120 on macOS" from a user agent, or null. */
function describeDevice(userAgent: string | null): string | null {
  if (!userAgent) return null;
  const parsed = Bowser.parse(userAgent);
  const browser = [parsed.browser.name, parsed.browser.version?.split(".")[0]].filter(Boolean).join(" ");
  const os = parsed.os.name ?? "";
  if (!browser && !os) return userAgent.slice(0, 100);
  return os ? `${browser || "Unknown browser"} on ${os}` : browser;
}

export const tenantView = (tenant: Tenant, origin: string) => ({
  id: tenant.id,
  slug: tenant.slug,
  name: tenant.name,
  issuer: issuerFor(origin, tenant.slug),
  settings: tenant.settings,
  created_at: iso(tenant.createdAt),
});

export const apiKeyView = (key: ApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  created_at: iso(key.createdAt),
  last_used_at: isoOrNull(key.lastUsedAt),
  revoked_at: isoOrNull(key.revokedAt),
});

export const signingKeyView = (key: SigningKey) => ({
  kid: key.kid,
  alg: key.alg,
  status: key.status,
  created_at: iso(key.createdAt),
  retired_at: isoOrNull(key.retiredAt),
  publish_until: isoOrNull(key.publishUntil),
});

export const auditEventView = (event: AuditEvent) => ({
  id: event.id,
  type: event.type,
  actor: { type: event.actorType, id: event.actorId },
  subject_id: event.subjectId,
  ip: event.ip,
  user_agent: event.userAgent,
  data: event.data,
  created_at: iso(event.createdAt),
});

/** Cursors are opaque to clients: base64url of the last id seen. */
export const encodeCursor = (afterId: string | null): string | null => (afterId ? toBase64url(utf8(afterId)) : null);

export function decodeCursor(cursor: string | undefined): string | null {
  if (!cursor) return null;
  try {
    const id = new TextDecoder().decode(fromBase64url(cursor));
    if (/^[a-z]+_[0-9A-Z]{26}$/.test(id)) return id;
  } catch {
    // fall through
  }
  throw new PlintoError("validation_failed", { errors: [{ path: "cursor", message: "invalid cursor", code: "invalid" }] });
}
