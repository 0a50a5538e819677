import type { WebhookQueueMessage } from "@plinto/core";

/**
 * What the webhooks consumer needs, stated structurally so it can be built
 * and tested from any worker whose bindings fit (the tests run it over the
 * api worker's D1). `index.ts` checks the wrangler-generated `WebhooksEnv`
 * against it.
 */
export interface WebhooksBindings {
  DB: D1Database;
  /** Bound where storage is PostgreSQL, as in the api worker. */
  HYPERDRIVE?: Hyperdrive;
  KEY_ENCRYPTION_SECRET: string;
  PLINTO_ENV: string;
  WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: string;
  /** The same queue: deliveries created by the fan-out go back onto it. */
  WEBHOOKS: Queue<WebhookQueueMessage>;
  /** Deliveries whose retries ran out (issue 6 dead-letter queue). */
  WEBHOOKS_DLQ: Queue<WebhookQueueMessage>;
}
