import { DurableObject } from "cloudflare:workers";
import type {
  CreateSessionInput,
  RevokeReason,
  RotateRefreshTokenInput,
  RotateRefreshTokenResult,
  SessionRecord,
  UserSessions,
} from "../../packages/core/src/ports/session-store";
import { planCleanup, runCleanup } from "./cleanup";
import { rotateRefreshToken } from "./rotate";
import { migrate } from "./schema";
import {
  createSession,
  findActiveSession,
  listActiveSessions,
  revokeAllSessions,
  revokeSession,
} from "./sessions";

/**
 * The sessions of one user, one object per `{tenantId}:{userId}`, reached by
 * typed RPC. Each session is a refresh-token family (RFC 9700 §4.14.2). Every
 * method does its reads and writes synchronously in one SQLite transaction, so
 * calls on the same user never interleave half-way. Time always comes from the
 * caller (`now`); the object never reads the clock.
 */
export class SessionStore extends DurableObject<Env> implements UserSessions {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrate(this.sql));
  }

  async create(input: CreateSessionInput): Promise<SessionRecord> {
    return this.write(() => createSession(this.sql, input));
  }

  async rotate(input: RotateRefreshTokenInput): Promise<RotateRefreshTokenResult> {
    return this.write(() => rotateRefreshToken(this.sql, input));
  }

  async get(sessionId: string, now: number): Promise<SessionRecord | null> {
    return findActiveSession(this.sql, sessionId, now);
  }

  async list(now: number): Promise<SessionRecord[]> {
    return listActiveSessions(this.sql, now);
  }

  async revoke(sessionId: string, reason: RevokeReason, now: number): Promise<SessionRecord | null> {
    return this.write(() => revokeSession(this.sql, sessionId, reason, now));
  }

  async revokeAll(reason: RevokeReason, now: number, exceptSessionId?: string | null): Promise<string[]> {
    return this.write(() => revokeAllSessions(this.sql, reason, now, exceptSessionId ?? null));
  }

  /** Purges sessions finished for a day, judged against the planned alarm time, and plans the next run. */
  override async alarm(): Promise<void> {
    const next = this.ctx.storage.transactionSync(() => runCleanup(this.sql));
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }

  /** Runs `change` and the cleanup planning atomically, then moves the alarm earlier if needed. */
  private async write<T>(change: () => T): Promise<T> {
    const [result, alarmAt] = this.ctx.storage.transactionSync(() => [change(), planCleanup(this.sql)] as const);
    if (alarmAt !== null) await this.ctx.storage.setAlarm(alarmAt);
    return result;
  }
}
