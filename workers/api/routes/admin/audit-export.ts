import type { AuditQuery, CoreDeps } from "@plinto/core";
import { auditEventView } from "../../views/views";

const PAGE = 100;

/**
 * NDJSON of the events matching `filters`, newest first, read a page at a
 * time as the client pulls, so an export never holds the whole log.
 */
export function auditExportStream(
  deps: CoreDeps,
  tenantId: string,
  filters: Omit<AuditQuery, "tenantId" | "afterId" | "limit">,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let afterId: string | null = null;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (done) return;
      const page = await deps.storage.audit.list({ tenantId, afterId, limit: PAGE, ...filters });
      const lines = page.items.map((event) => `${JSON.stringify(auditEventView(event))}\n`).join("");
      if (lines) controller.enqueue(encoder.encode(lines));
      afterId = page.nextAfterId;
      if (!afterId) {
        done = true;
        controller.close();
      }
    },
  });
}
