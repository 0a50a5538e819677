import { PlintoError } from "@plinto/core";
import { html } from "hono/html";
import { isLocalEnv } from "../adapters/mail/select-mailer";
import { type DevMessage, readDevMailbox } from "../adapters/mail/dev-mailbox";
import { createRouter } from "../router";

/**
 * Local development and tests only: the mail the dev mailer stored. Any other
 * PLINTO_ENV answers 404 exactly like an unknown path. Not in the OpenAPI
 * document: it is not part of the API.
 */
export const devMailboxRoutes = createRouter();

devMailboxRoutes.use("*", async (c, next) => {
  if (!isLocalEnv(c.env)) throw new PlintoError("not_found", { detail: `no route for ${c.req.method} ${c.req.path}` });
  await next();
});

const filterOf = (query: (name: string) => string | undefined) => ({
  to: query("to")?.slice(0, 254),
  tenantId: query("tenant_id")?.slice(0, 64),
  limit: Math.min(Math.max(Number(query("limit")) || 50, 1), 200),
});

const messageView = (message: DevMessage) => ({
  id: message.id,
  tenant_id: message.tenantId,
  to: message.to,
  from: message.from,
  subject: message.subject,
  text: message.text,
  html: message.html,
  created_at: new Date(message.createdAt).toISOString(),
});

/** JSON for tests and scripts: `?to=` (case-insensitive), `?tenant_id=`, `?limit=` (newest first). */
devMailboxRoutes.get("/messages", async (c) => {
  const messages = await readDevMailbox(c.env.DB, filterOf((name) => c.req.query(name)));
  return c.json({ data: messages.map(messageView) }, 200);
});

/** A page to read the mail in a browser; every value is escaped by hono/html, message HTML is shown as source. */
devMailboxRoutes.get("/", async (c) => {
  const messages = await readDevMailbox(c.env.DB, filterOf((name) => c.req.query(name)));
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
  return c.html(html`<!doctype html>
    <html>
      <head><meta charset="utf-8" /><title>Plinto dev mailbox</title>
        <style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto}article{border-top:1px solid #ccc;padding:1rem 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:.5rem}</style>
      </head>
      <body>
        <h1>Dev mailbox</h1>
        <p>${messages.length} message(s), newest first. Filter with <code>?to=</code>; JSON at <code>/dev/mailbox/messages</code>.</p>
        ${messages.map(
          (message) => html`<article>
            <h2>${message.subject}</h2>
            <p>To ${message.to} · from ${message.from} · ${new Date(message.createdAt).toISOString()}</p>
            <pre>${message.text}</pre>
            <details><summary>HTML source</summary><pre>${message.html}</pre></details>
          </article>`,
        )}
      </body>
    </html>`);
});
