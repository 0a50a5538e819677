import { connectPostgres } from "@plinto/storage";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { admin, clockedApi, uniqueEmail } from "./admin-helpers";
import { createTenant, freshIp, json, STRONG_PASSWORD, type TestTenant } from "./helpers";

/**
 * Raw SQL on whichever backend this suite runs on (vitest.config.ts: D1;
 * vitest.pg.config.ts: Postgres through HYPERDRIVE), for tests that tamper
 * with or scan rows behind the API. Placeholders are `?`; they become `$n`
 * on Postgres.
 */
let pg: ReturnType<typeof connectPostgres> | undefined;

export async function rawSql(query: string, params: (string | number | null)[] = []): Promise<Record<string, unknown>[]> {
  if (env.HYPERDRIVE) {
    // One client for the whole test file: a client per call would hold a server connection each until the file ends
    // (closing one by hand makes postgres.js's socket shim reject with nobody listening, packages/storage/src/pg/connect.ts).
    pg ??= connectPostgres(env.HYPERDRIVE.connectionString, { max: 1 });
    let n = 0;
    const text = query.replace(/\?/g, () => `$${++n}`);
    return [...(await pg.unsafe<Record<string, unknown>[]>(text, params))];
  }
  const { results } = await env.DB.prepare(query)
    .bind(...params)
    .all<Record<string, unknown>>();
  return results;
}

export interface ChainRow {
  id: string;
  seq: number;
  type: string;
  data: string;
  hash: string;
}

/** The tenant's chained audit rows in seq order, straight from the table. */
export async function chainRows(tenantId: string): Promise<ChainRow[]> {
  const rows = await rawSql("select id, seq, type, data, hash from audit_events where tenant_id = ? and seq is not null order by seq", [tenantId]);
  // postgres.js returns bigint columns as strings.
  return rows.map((row) => ({ id: String(row.id), seq: Number(row.seq), type: String(row.type), data: String(row.data), hash: String(row.hash) }));
}

export interface VerificationBody {
  intact: boolean;
  checked: number;
  pseudonymised: number;
  head: { seq: number; hash: string } | null;
  unsealed: number;
  first_broken: { seq: number; id: string; reason: string; expected_seq: number } | null;
}

/** GET /admin/audit-events/verify, which seals pending rows first. */
export async function verifyChain(tenant: TestTenant): Promise<VerificationBody> {
  const response = await admin(tenant, "/audit-events/verify");
  expect(response.status).toBe(200);
  return json<VerificationBody>(response);
}

/** A row by its seq; fails the test when the chain has no such row. */
export function rowAt(rows: ChainRow[], seq: number): ChainRow {
  const row = rows.find((candidate) => candidate.seq === seq);
  if (!row) throw new Error(`no audit row with seq ${seq}`);
  return row;
}

/**
 * A tenant with a few sequential sign-ups, so its chain has a middle to tamper
 * with; verified (which seals first) before the test tampers with sealed rows.
 */
export async function tenantWithHistory(signUps = 3): Promise<TestTenant> {
  const tenant = await settledTenant();
  for (let i = 0; i < signUps; i++) await settledSignUp(tenant);
  expect(await verifyChain(tenant)).toMatchObject({ intact: true, unsealed: 0 });
  expect((await chainRows(tenant.id)).length).toBeGreaterThanOrEqual(6);
  return tenant;
}

/** A sign-up whose work after the response (mail, its audit event, sealing) has finished when it returns. */
/**
 * A tenant whose creation request has finished its after-response work (the
 * seal of `tenant.created`), so no sealer of an unawaited request is still
 * running when a test counts unsealed rows.
 */
export const settledTenant = (): Promise<TestTenant> => createTenant({}, clockedApi().call);

export async function settledSignUp(tenant: TestTenant, api = clockedApi()): Promise<void> {
  const response = await api.call(`${tenant.base}/identities`, { body: { email: uniqueEmail("settled"), password: STRONG_PASSWORD }, ip: freshIp() });
  expect(response.status).toBe(201);
}
