import { createRoute } from "@hono/zod-openapi";
import { slugSchema } from "@plinto/contracts";
import { type ExportLine, exportTenant, importTenant, PlintoError } from "@plinto/core";
import { z } from "zod";
import { requireOperator } from "../middleware/operator";
import { MAX_IMPORT_BYTES, NDJSON, noStoreByDefault } from "../middleware/security";
import { forgetTenant } from "../middleware/tenant";
import { createRouter } from "../router";
import { closingWhenDone } from "../middleware/request-lifecycle";
import { transferFor } from "../storage";
import { authErrors, commonErrors, conflict, json } from "./openapi";

/**
 * Moving a tenant between deployments or backends (D1 <-> Postgres): export
 * as NDJSON, import all or nothing. Exports carry password hashes and
 * encrypted keys: operator key only, never cached (docs/tenant-migration.md).
 */
export const tenantTransferRoutes = createRouter();
tenantTransferRoutes.use("*", noStoreByDefault);

const ndjson = (description: string) => ({ content: { [NDJSON]: { schema: z.string() } }, description });
const problem = (description: string) => ({ content: { "application/problem+json": { schema: z.object({}) } }, description });

/** The export's lines as an NDJSON byte stream, pulled one line at a time (rows are read page by page). */
function ndjsonStream(lines: AsyncIterable<ExportLine>): ReadableStream<Uint8Array> {
  const iterator = lines[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

tenantTransferRoutes.openapi(
  createRoute({
    method: "get",
    path: "/tenants/{slug}/export",
    tags: ["Operator"],
    summary: "Export a tenant (NDJSON, secrets included)",
    description:
      "A header line (`format`, `version`, tenant), one line per row of every tenant table in foreign-key order, and a trailer with the row count. Holds password hashes and encrypted keys: handle as a secret.",
    security: [{ operatorKey: [] }],
    middleware: [requireOperator] as const,
    request: { params: z.object({ slug: slugSchema }) },
    responses: { 200: ndjson("The tenant's rows"), ...commonErrors, ...authErrors },
  }),
  async (c) => {
    const { slug } = c.req.valid("param");
    const transfer = transferFor(c.env);
    const lines = await exportTenant(c.get("deps"), transfer, slug).catch(async (error: unknown) => {
      await transfer.close?.();
      throw error;
    });
    // A stream, not JSON: a plain Response (the route's typed helpers only describe JSON bodies).
    const headers = { "Content-Type": NDJSON, "Content-Disposition": `attachment; filename="${slug}.plinto-tenant.ndjson"` };
    return new Response(closingWhenDone(ndjsonStream(lines), transfer.close), { status: 200, headers }) as never;
  },
);

/** One JSON value per non-empty line; `invalid_json` names the first bad line. */
function parseLines(text: string): unknown[] {
  return text
    .split("\n")
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== "")
    .map(({ line, number }) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        throw new PlintoError("invalid_json", { detail: `line ${number} is not JSON` });
      }
    });
}

tenantTransferRoutes.openapi(
  createRoute({
    method: "post",
    path: "/tenants/import",
    tags: ["Operator"],
    summary: "Import a tenant export (all or nothing)",
    description: `Body: an export from \`GET /api/v1/operator/tenants/{slug}/export\` of any deployment or backend, as \`${NDJSON}\`, at most ${MAX_IMPORT_BYTES} bytes. Refuses an existing slug (409 \`slug_taken\`) and keys sealed under another KEY_ENCRYPTION_SECRET (422 \`key_encryption_mismatch\`).`,
    security: [{ operatorKey: [] }],
    middleware: [requireOperator] as const,
    request: { body: { content: { [NDJSON]: { schema: z.string() } }, required: true } },
    responses: {
      201: json(z.object({ tenant: z.object({ slug: z.string() }), rows: z.number().int() }), "Tenant imported"),
      ...commonErrors,
      ...authErrors,
      ...conflict,
      415: problem(`Content-Type must be ${NDJSON}`),
      422: problem("Secrets do not open with this deployment's KEY_ENCRYPTION_SECRET (`key_encryption_mismatch`)"),
    },
  }),
  async (c) => {
    const lines = parseLines(new TextDecoder().decode(await c.req.arrayBuffer())); // NDJSON: workerd's text() warns on non-text types
    const transfer = transferFor(c.env);
    const { slug, rows } = await importTenant(c.get("deps"), transfer, lines).finally(() => transfer.close?.());
    forgetTenant(slug); // this isolate may remember the slug as unknown
    return c.json({ tenant: { slug }, rows }, 201);
  },
);
