import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";

/**
 * Work a request leaves running after its response (`waitUntil`), tracked so
 * the request's storage can be closed once all of it, and the response body,
 * are done. Tasks may add further tasks while they run (a deferred email flow
 * records an audit event, which schedules a seal); `drained` waits for those too.
 */
export class BackgroundWork {
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly ctx: { waitUntil(promise: Promise<unknown>): void }) {}

  waitUntil(promise: Promise<unknown>): void {
    const tracked: Promise<unknown> = promise.finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    this.ctx.waitUntil(tracked);
  }

  async drained(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** The execution context of a request, or null when the app is called without one (some tests call `app.fetch` bare). */
function rawExecutionContext(c: Context): ExecutionContext | null {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return null;
  }
}

/** Where middleware schedules after-response work: the tracked background, or null (then callers await inline). */
export const backgroundOf = (c: Context<AppEnv>): BackgroundWork | null => c.get("background") ?? null;

/**
 * Gives the request a tracked background and, when its storage holds a
 * connection (Postgres), closes it once every background task has settled.
 * Streaming responses (NDJSON exports) must not read this request's storage
 * while their body flows: they open storage of their own and close it when
 * the stream ends (routes/admin/audit.ts, routes/tenant-transfer.ts). Without
 * an execution context nothing runs after the response, and the client is
 * left to the runtime.
 */
export const requestLifecycle: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = rawExecutionContext(c);
  if (!ctx) return next();
  const background = new BackgroundWork(ctx);
  c.set("background", background);
  await next();
  const close = c.get("deps").storage.close;
  if (!close) return;
  ctx.waitUntil(
    background
      .drained()
      .then(close, close)
      .catch((error: unknown) => {
        console.error(JSON.stringify({ level: "error", event: "storage_close_failed", error: error instanceof Error ? error.name : typeof error }));
      }),
  );
};

/**
 * `stream`, calling `close` once it has ended, failed or been cancelled: how
 * a streamed response releases the storage it opened for itself.
 */
export function closingWhenDone(stream: ReadableStream<Uint8Array>, close: (() => Promise<void>) | undefined): ReadableStream<Uint8Array> {
  if (!close) return stream;
  const reader = stream.getReader();
  let closed = false;
  const release = async () => {
    if (closed) return;
    closed = true;
    await close().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          controller.close();
          await release();
        } else controller.enqueue(value);
      } catch (error) {
        controller.error(error);
        await release();
      }
    },
    async cancel(reason) {
      await reader.cancel(reason);
      await release();
    },
  });
}
