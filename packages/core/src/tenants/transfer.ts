import type { CoreDeps } from "../deps";
import { PlintoError } from "../errors";
import { keyVaultContext } from "../keys/generate-signing-key";
import { totpSecretContext } from "../mfa/totp-secret";
import { APPLE_PRIVATE_KEY_OPTION, applePrivateKeyContext, clientSecretContext } from "../upstream/connection-secrets";
import type { TenantRow, TenantTransfer } from "../ports/tenant-transfer";

/**
 * A tenant export is a sequence of lines (NDJSON on the wire): a header, one
 * line per row (tables in foreign-key order, parents first), and a trailer with
 * the row count, so a truncated file is refused instead of half imported.
 * Rows carry every column as stored, secrets included (password hashes,
 * encrypted signing keys and TOTP secrets): see docs/tenant-migration.md.
 */
export const TENANT_EXPORT_FORMAT = "plinto.tenant-export";
export const TENANT_EXPORT_VERSION = 1;

export interface ExportHeader {
  format: typeof TENANT_EXPORT_FORMAT;
  version: number;
  tenant: { id: string; slug: string };
  exported_at: number;
  tables: readonly string[];
}
export interface ExportTrailer {
  end: true;
  rows: number;
}
export type ExportLine = ExportHeader | TenantRow | ExportTrailer;

/** Every line of the tenant's export; `tenant_not_found` before the first line when the slug is unknown. */
export async function exportTenant(
  deps: CoreDeps,
  transfer: TenantTransfer,
  slug: string,
): Promise<AsyncIterable<ExportLine>> {
  const tenant = await deps.storage.tenants.getBySlug(slug);
  if (!tenant) throw new PlintoError("tenant_not_found");
  const header: ExportHeader = {
    format: TENANT_EXPORT_FORMAT,
    version: TENANT_EXPORT_VERSION,
    tenant: { id: tenant.id, slug: tenant.slug },
    exported_at: deps.clock.now(),
    tables: transfer.tables,
  };
  return (async function* () {
    yield header;
    let rows = 0;
    for await (const row of transfer.exportRows(tenant.id)) {
      rows += 1;
      yield row;
    }
    yield { end: true, rows } satisfies ExportTrailer;
  })();
}

const invalid = (detail: string) => new PlintoError("validation_failed", { detail });
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The exported tenant and its rows, the header and trailer checked for shape and completeness. */
function readLines(lines: unknown[]): { tenant: { id: string; slug: string }; rows: TenantRow[] } {
  const [header, ...rest] = lines;
  const trailer = rest.pop();
  if (!isRecord(header) || header.format !== TENANT_EXPORT_FORMAT) throw invalid(`the first line must be a ${TENANT_EXPORT_FORMAT} header`);
  if (header.version !== TENANT_EXPORT_VERSION) throw invalid(`unsupported export version ${String(header.version)}`);
  if (!isRecord(header.tenant) || typeof header.tenant.id !== "string" || typeof header.tenant.slug !== "string") {
    throw invalid("the header names no tenant");
  }
  if (!isRecord(trailer) || trailer.end !== true) throw invalid("the export is truncated: no trailer line");
  if (trailer.rows !== rest.length) throw invalid(`the trailer counts ${String(trailer.rows)} rows, the file holds ${rest.length}`);
  const rows = rest.map((line, index): TenantRow => {
    if (!isRecord(line) || typeof line.table !== "string" || !isRecord(line.row)) throw invalid(`line ${index + 2} is not a row`);
    return { table: line.table, row: line.row };
  });
  return { tenant: { id: header.tenant.id, slug: header.tenant.slug }, rows };
}

/** The rows must be this one tenant's: its tenants row first, every other row carrying its id. */
function checkOwnership({ id, slug }: { id: string; slug: string }, rows: TenantRow[]): void {
  const [first] = rows;
  if (first?.table !== "tenants" || first.row.id !== id || first.row.slug !== slug) {
    throw invalid("the first row must be the header's tenant");
  }
  rows.slice(1).forEach(({ table, row }, index) => {
    if (table === "tenants" || row.tenant_id !== id) throw invalid(`row ${index + 2} (${table}) belongs to another tenant`);
  });
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

/** An upstream connection's sealed client secret and Apple key (in its `options` JSON), when it has them. */
function upstreamSecrets(tenantId: string, row: Record<string, unknown>): { text: unknown; context: string }[] {
  const id = String(row.id);
  const options = typeof row.options === "string" ? parseJson(row.options) : null;
  const appleKey = isRecord(options) ? options[APPLE_PRIVATE_KEY_OPTION] : undefined;
  return [
    ...(row.client_secret_encrypted === null ? [] : [{ text: row.client_secret_encrypted, context: clientSecretContext(tenantId, id) }]),
    ...(appleKey === undefined ? [] : [{ text: appleKey, context: applePrivateKeyContext(tenantId, id) }]),
  ];
}

/**
 * Signing keys, TOTP secrets and upstream connection secrets must open with this deployment's vault, or the
 * tenant could not sign, check codes or sign users in upstream. OAuth client secrets are digests and move as they are.
 */
async function checkSecretsOpen(deps: CoreDeps, tenantId: string, rows: TenantRow[]): Promise<void> {
  const sealed = rows.flatMap(({ table, row }) => {
    const id = String(row.id);
    if (table === "signing_keys") return [{ text: row.private_jwk_encrypted, context: keyVaultContext(tenantId, id) }];
    if (table === "totp_factors") return [{ text: row.secret_encrypted, context: totpSecretContext(tenantId, id) }];
    if (table === "upstream_connections") return upstreamSecrets(tenantId, row);
    return [];
  });
  for (const { text, context } of sealed) {
    const opened = await deps.vault.decrypt(String(text), context).then(
      () => true,
      () => false,
    );
    if (!opened) throw new PlintoError("key_encryption_mismatch");
  }
}

/**
 * Imports an export made by `exportTenant` (from either backend) into this
 * deployment's storage, all or nothing. Refuses a slug that exists here
 * (`slug_taken`) and secrets sealed under another KEY_ENCRYPTION_SECRET
 * (`key_encryption_mismatch`). Returns the imported tenant's slug and row count.
 */
export async function importTenant(
  deps: CoreDeps,
  transfer: TenantTransfer,
  lines: unknown[],
): Promise<{ slug: string; rows: number }> {
  const { tenant, rows } = readLines(lines);
  checkOwnership(tenant, rows);
  if (await deps.storage.tenants.getBySlug(tenant.slug)) throw new PlintoError("slug_taken");
  await checkSecretsOpen(deps, tenant.id, rows);
  await transfer.importRows(rows);
  return { slug: tenant.slug, rows: rows.length };
}
