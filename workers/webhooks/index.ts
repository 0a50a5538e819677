import type { WebhookQueueMessage } from "@plinto/core";
import type { WebhooksBindings } from "./bindings";
import { webhookConsumer } from "./consumer";

const queue = webhookConsumer();

/** The webhooks worker: a queue consumer only (wrangler.toml). */
export default {
  queue: (batch, env) => queue(batch, env),
} satisfies ExportedHandler<WebhooksEnv & WebhooksBindings, WebhookQueueMessage>;
