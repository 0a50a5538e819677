import { connectPostgres } from "@plinto/storage";
import { env } from "cloudflare:workers";

type TenantTable = "one_time_tokens" | "recovery_codes" | "totp_factors" | "passkeys" | "users" | "audit_events";

/**
 * A tenant's raw rows of one table, from whichever backend this suite runs on
 * (vitest.config.ts: D1; vitest.pg.config.ts: Postgres). For tests that look
 * behind the API, e.g. that no secret is stored in the clear.
 */
export async function tenantRows(table: TenantTable, tenantId: string): Promise<Record<string, unknown>[]> {
  if (env.HYPERDRIVE) {
    const sql = connectPostgres(env.HYPERDRIVE.connectionString, { max: 1 });
    return [...(await sql.unsafe<Record<string, unknown>[]>(`select * from "${table}" where tenant_id = $1`, [tenantId]))];
  }
  const { results } = await env.DB.prepare(`select * from "${table}" where tenant_id = ?`).bind(tenantId).all<Record<string, unknown>>();
  return results;
}
