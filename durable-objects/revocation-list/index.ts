import { DurableObject } from "cloudflare:workers";
import type { RevocationSnapshot } from "../../packages/contracts/src/revocations";
import type { RevocationEntry } from "../../packages/core/src/ports/revocation-list";
import { addEntries, pruneEntries, readSnapshot } from "./entries";
import { migrate } from "./schema";

const KINDS = new Set(["session", "token", "key"]);

/**
 * The revoked sessions, tokens and signing keys of one tenant (one object per
 * tenant slug), kept until no token they affect can still be valid, plus an
 * epoch that grows with every change. Edge verifiers poll `snapshot` through
 * their isolate memory and the Cache API (DESIGN.md "Tokens"), so this object
 * sees about one request per second per location.
 */
export class RevocationList extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrate(this.sql));
  }

  async revoke(entries: RevocationEntry[], now: number): Promise<number> {
    const valid = entries.filter((entry) => KINDS.has(entry.kind) && entry.id.length > 0 && entry.until > now);
    const epoch = this.ctx.storage.transactionSync(() => addEntries(this.sql, valid));
    const earliest = Math.min(...valid.map((entry) => entry.until));
    const current = await this.ctx.storage.getAlarm();
    if (valid.length > 0 && (current === null || earliest < current)) await this.ctx.storage.setAlarm(earliest);
    return epoch;
  }

  async snapshot(tenant: string, now: number): Promise<RevocationSnapshot> {
    return readSnapshot(this.sql, tenant, now);
  }

  /** Drops entries past their `until` (only cleanup reads the wall clock; `snapshot` already hides them). */
  override async alarm(): Promise<void> {
    const next = this.ctx.storage.transactionSync(() => pruneEntries(this.sql, Date.now()));
    if (next !== null) await this.ctx.storage.setAlarm(next);
  }
}
