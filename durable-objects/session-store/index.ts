import { DurableObject } from "cloudflare:workers";
import type {
  CreateSessionInput,
  RevocationTarget,
  RevokeReason,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  SessionRecord,
  UserSessions,
} from "../../packages/core/src/ports/session-store";
import { planCleanup, plannedCleanupAt, runCleanup } from "./cleanup";
import { hasPendingRevocations, markDelivered, pendingRevocations } from "./revocation-outbox";
import { rotateRefreshToken } from "./rotate";
import { hasSchema, migrate } from "./schema";
import {
  createSession,
  findActiveSession,
  findSessionByCurrentToken,
  listActiveSessions,
  markSessionVerified,
  revokeAllSessions,
  revokeSession,
  setActiveOrganization,
} from "./sessions";

/** How soon an undelivered revocation is retried. */
const OUTBOX_RETRY_MS = 1_000;

/**
 * The sessions of one user, one object per `{tenantId}:{userId}`, reached by
 * typed RPC. Each session is a refresh-token family (RFC 9700 §4.14.2). Every
 * method does its reads and writes synchronously in one SQLite transaction, so
 * calls on the same user never interleave half-way. Time comes from the caller
 * (`now`); only the alarm reads the clock. Revocations are written to an
 * outbox in the same transaction and delivered to the tenant's revocation
 * list before the call returns (retried by the alarm if that fails).
 */
export class SessionStore extends DurableObject<Env> implements UserSessions {
  private readonly sql: SqlStorage;
  /**
   * Tables are created by the first `create` only: a forged refresh token
   * naming a random user reaches an object that has none, and must not leave
   * storage behind.
   */
  private schemaReady: boolean;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.schemaReady = hasSchema(this.sql);
    if (this.schemaReady) void ctx.blockConcurrencyWhile(async () => migrate(this.sql));
  }

  async create(input: CreateSessionInput): Promise<SessionRecord> {
    if (!this.schemaReady) {
      migrate(this.sql);
      this.schemaReady = true;
    }
    const [session, alarmAt] = this.ctx.storage.transactionSync(
      () => [createSession(this.sql, input), planCleanup(this.sql)] as const,
    );
    if (alarmAt !== null) await this.armAlarm(alarmAt);
    return session;
  }

  /**
   * The hot path: one transaction, and nothing else unless reuse revoked the
   * family. A rotation only moves a session's end later, so the cleanup plan
   * stays valid (an early wake-up just plans again).
   */
  async rotate(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    if (!this.schemaReady) return { status: "invalid" };
    const result = this.ctx.storage.transactionSync(() => rotateRefreshToken(this.sql, input));
    if (result.status === "reused") await this.afterRevocation(input.now, null);
    return result;
  }

  async get(sessionId: string, now: number): Promise<SessionRecord | null> {
    if (!this.schemaReady) return null;
    return findActiveSession(this.sql, sessionId, now);
  }

  /** Read-only: introspection and revocation look a refresh token up without rotating it. */
  async inspect(presentedHash: string, now: number): Promise<SessionRecord | null> {
    if (!this.schemaReady) return null;
    return findSessionByCurrentToken(this.sql, presentedHash, now);
  }

  async markVerified(sessionId: string, amr: string[], now: number): Promise<SessionRecord | null> {
    if (!this.schemaReady) return null;
    return this.ctx.storage.transactionSync(() => markSessionVerified(this.sql, sessionId, amr, now));
  }

  async setActiveOrganization(sessionId: string, organizationId: string | null, now: number): Promise<SessionRecord | null> {
    if (!this.schemaReady) return null;
    return this.ctx.storage.transactionSync(() => setActiveOrganization(this.sql, sessionId, organizationId, now));
  }

  async list(now: number): Promise<SessionRecord[]> {
    if (!this.schemaReady) return [];
    return listActiveSessions(this.sql, now);
  }

  async revoke(sessionId: string, reason: RevokeReason, now: number, target: RevocationTarget): Promise<SessionRecord | null> {
    if (!this.schemaReady) return null;
    return this.revokeWith(() => revokeSession(this.sql, sessionId, reason, now, target), now);
  }

  async revokeAll(
    reason: RevokeReason,
    now: number,
    target: RevocationTarget,
    exceptSessionId?: string | null,
  ): Promise<string[]> {
    if (!this.schemaReady) return [];
    return this.revokeWith(() => revokeAllSessions(this.sql, reason, now, target, exceptSessionId ?? null), now);
  }

  /** Erasure of the user (GDPR Art. 17): delivers pending revocations, then deletes all storage. */
  async erase(): Promise<void> {
    if (!this.schemaReady) return;
    await this.deliverRevocations(Date.now());
    if (hasPendingRevocations(this.sql)) throw new Error("revocations not yet delivered; erase again later");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.schemaReady = false;
  }

  /**
   * Either a retry of undelivered revocations (then cleanup keeps its plan) or
   * the planned cleanup, which purges against the planned time.
   */
  override async alarm(): Promise<void> {
    if (!this.schemaReady) return;
    if (hasPendingRevocations(this.sql)) {
      await this.deliverRevocations(Date.now());
      await this.armAlarm(plannedCleanupAt(this.sql));
      return;
    }
    await this.armAlarm(this.ctx.storage.transactionSync(() => runCleanup(this.sql)));
  }

  /** Runs a revoking `change` and the cleanup planning atomically, then delivers what it queued. */
  private async revokeWith<T>(change: () => T, now: number): Promise<T> {
    const [result, alarmAt] = this.ctx.storage.transactionSync(() => [change(), planCleanup(this.sql)] as const);
    await this.afterRevocation(now, alarmAt);
    return result;
  }

  /** Delivers queued revocations; arms the alarm for cleanup, or for a retry when delivery failed. */
  private async afterRevocation(now: number, alarmAt: number | null): Promise<void> {
    await this.deliverRevocations(now);
    await this.armAlarm(alarmAt);
  }

  private async deliverRevocations(now: number): Promise<void> {
    for (const batch of pendingRevocations(this.sql)) {
      try {
        await this.env.REVOCATION_LIST.getByName(batch.list).revoke(batch.entries, now);
        this.ctx.storage.transactionSync(() => markDelivered(this.sql, batch));
      } catch (error) {
        console.error(JSON.stringify({ level: "error", event: "revocation_delivery_failed", list: batch.list, error: String(error) }));
      }
    }
  }

  /** Sets the alarm to the earlier of `candidate` and an outbox retry, unless an earlier one is set. */
  private async armAlarm(candidate: number | null): Promise<void> {
    const retry = hasPendingRevocations(this.sql) ? Date.now() + OUTBOX_RETRY_MS : null;
    const wanted = [candidate, retry].filter((time): time is number => time !== null);
    if (wanted.length === 0) return;
    const at = Math.min(...wanted);
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }
}
