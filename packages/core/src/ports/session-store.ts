/**
 * Session state lives in the session-store Durable Object, one object per
 * `{tenantId}:{userId}` (the user is the shard), so a tenant is never capped by
 * one object and every operation on a user's sessions is serialised.
 * A session is one refresh-token family (RFC 9700 §4.14.2).
 */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: number;
  lastUsedAt: number;
  /** Absolute end of the session; refresh fails after it. */
  expiresAt: number;
  /** Sliding end: refresh fails when the session sat unused past it. */
  idleExpiresAt: number;
  ip: string | null;
  userAgent: string | null;
  /** Authentication methods references (RFC 8176), e.g. ["pwd"]. */
  amr: string[];
  /** When the user last proved who they are on this session: the sign-in, or the latest step-up (RFC 9470 auth_time). */
  verifiedAt: number;
  /** The active organization, whose id and role go into access tokens (membership re-checked at each signing). */
  organizationId: string | null;
  revokedAt: number | null;
  revokeReason: string | null;
}

export interface CreateSessionInput {
  sessionId: string;
  userId: string;
  /** SHA-256 digest (base64url) of the first refresh token. Plain tokens never reach storage. */
  refreshTokenHash: string;
  now: number;
  absoluteTtlSeconds: number;
  idleTtlSeconds: number;
  ip: string | null;
  userAgent: string | null;
  amr: string[];
}

/**
 * Where revocations are announced so edge verifiers learn of them: the
 * tenant's revocation list, and how long the session's access tokens live
 * (the revoked sid stays listed that long).
 */
export interface RevocationTarget {
  list: string;
  accessTokenTtlSeconds: number;
}

export interface RotateRefreshTokenInput {
  presentedHash: string;
  nextHash: string;
  now: number;
  ip: string | null;
  userAgent: string | null;
  idleTtlSeconds: number;
  /** Used when reuse is detected and the family is revoked. */
  revocation: RevocationTarget;
}

export type RotateRefreshTokenResult =
  | { status: "rotated"; session: SessionRecord }
  /** A token that was already rotated came back: the whole family is now revoked. */
  | { status: "reused"; session: SessionRecord }
  /** Unknown, expired or revoked. */
  | { status: "invalid" };

export type RevokeReason =
  | "sign_out"
  | "revoked_by_user"
  | "password_changed"
  | "refresh_token_reused"
  /** An OAuth authorization code came back after it was redeemed (RFC 6749 §4.1.2): its grant's session ends. */
  | "authorization_code_reused"
  | "user_banned"
  | "user_deleted"
  | "admin";

/** Operations on the sessions of one user. */
export interface UserSessions {
  create(input: CreateSessionInput): Promise<SessionRecord>;
  rotate(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult>;
  /**
   * Records a step-up on an active session: `verifiedAt = now`, and `amr` gains
   * the methods just proved. Returns the session, or null when it is not active.
   */
  markVerified(sessionId: string, amr: string[], now: number): Promise<SessionRecord | null>;
  /** Sets (or with null clears) the active organization of an active session; null when the session is not active. */
  setActiveOrganization(sessionId: string, organizationId: string | null, now: number): Promise<SessionRecord | null>;
  /** Active (not revoked, not expired) session, or null. */
  get(sessionId: string, now: number): Promise<SessionRecord | null>;
  /**
   * Read-only look-up of a refresh token by its digest (OAuth introspection,
   * RFC 7662, and revocation, RFC 7009): the active session whose current
   * (not yet rotated) token it is, or null. Never rotates, revokes or counts
   * as a use, so a rotated token here is simply not active.
   */
  inspect(presentedHash: string, now: number): Promise<SessionRecord | null>;
  /** Active sessions, newest first. */
  list(now: number): Promise<SessionRecord[]>;
  /**
   * Revokes one active session and announces it on the revocation list before
   * returning; returns the session, or null when it was not active.
   */
  revoke(sessionId: string, reason: RevokeReason, now: number, revocation: RevocationTarget): Promise<SessionRecord | null>;
  /**
   * Deletes everything the object holds about the user (sessions, token
   * digests, alarm). Refuses while a revocation is still undelivered, so call
   * it after `revokeAll`: erasure never drops a revocation (GDPR Art. 17).
   */
  erase(): Promise<void>;
  /** Revokes every active session except `exceptSessionId`, announced like `revoke`; returns the revoked ids. */
  revokeAll(
    reason: RevokeReason,
    now: number,
    revocation: RevocationTarget,
    exceptSessionId?: string | null,
  ): Promise<string[]>;
}

export interface SessionStore {
  forUser(tenantId: string, userId: string): UserSessions;
}
