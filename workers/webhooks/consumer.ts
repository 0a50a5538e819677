import {
  allowPrivateWebhookTargets,
  attemptDelivery,
  type Clock,
  createKeyVault,
  type DeliveryOptions,
  fanOutEvent,
  type KeyVault,
  systemClock,
  type WebhookDeps,
  type WebhookQueueMessage,
  type WebhookSender,
} from "@plinto/core";
import { ulidIds } from "../api/adapters/ids";
import { queueEventPublisher } from "../api/adapters/queue-event-publisher";
import { connectPostgres, createD1Storage, createPgStorage } from "@plinto/storage";
import type { WebhooksBindings } from "./bindings";
import { fetchSender } from "./fetch-sender";

export interface ConsumerOptions {
  clock?: Clock;
  sender?: WebhookSender;
  random?: () => number;
}

const vaults = new Map<string, Promise<KeyVault>>();
function vaultFor(secret: string): Promise<KeyVault> {
  let vault = vaults.get(secret);
  if (!vault) vaults.set(secret, (vault = createKeyVault(secret)));
  return vault;
}

/**
 * The `WEBHOOKS` queue consumer (issue 6). An `event` message fans out into
 * one delivery row and one `delivery` message per subscribed endpoint; a
 * `delivery` message is one attempt: ack on success or final refusal, retry
 * with backoff (`message.retry({ delaySeconds })`), or, when the retries ran
 * out, a copy to `WEBHOOKS_DLQ` and ack. Messages are handled one by one, so
 * one slow receiver's retry never re-sends another's delivery.
 */
export function webhookConsumer(options: ConsumerOptions = {}) {
  const clock = options.clock ?? systemClock;
  const sender = options.sender ?? fetchSender();
  return async (batch: MessageBatch<WebhookQueueMessage>, env: WebhooksBindings): Promise<void> => {
    // As in the api worker (workers/api/storage.ts): Hyperdrive bound means PostgreSQL. The client lives for this
    // batch and is ended after it: unlike a request, a batch defers no work past its own end.
    const client = env.HYPERDRIVE ? connectPostgres(env.HYPERDRIVE.connectionString) : null;
    const deps: WebhookDeps = {
      clock,
      ids: ulidIds,
      storage: client ? createPgStorage(client) : createD1Storage(env.DB),
      vault: await vaultFor(env.KEY_ENCRYPTION_SECRET),
      events: queueEventPublisher(env.WEBHOOKS),
    };
    const allowPrivate = allowPrivateWebhookTargets(env.PLINTO_ENV, env.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES);
    try {
      for (const message of batch.messages) {
        try {
          await handle(message, deps, env, { sender, allowPrivate, random: options.random });
        } catch (error) {
          // Storage or queue trouble, not the receiver's answer: the queue redelivers (max_retries, then its DLQ).
          const name = error instanceof Error ? error.name : typeof error;
          console.error(JSON.stringify({ level: "error", event: "webhook_message_failed", kind: message.body.kind, error: name }));
          message.retry({ delaySeconds: 60 });
        }
      }
    } finally {
      await client?.end();
    }
  };
}

async function handle(
  message: Message<WebhookQueueMessage>,
  deps: WebhookDeps,
  env: WebhooksBindings,
  options: DeliveryOptions,
): Promise<void> {
  const body = message.body;
  if (body.kind === "event") {
    await fanOutEvent(deps, body.tenantId, body.event);
    message.ack();
    return;
  }
  const outcome = await attemptDelivery(deps, body.tenantId, body.deliveryId, message.attempts, options);
  if (outcome.kind === "retry") return message.retry({ delaySeconds: outcome.delaySeconds });
  if (outcome.kind === "dead") await env.WEBHOOKS_DLQ.send(body, { contentType: "json" });
  message.ack();
}
