import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { ManualClock, type WebhookQueueMessage, type WebhookSender } from "@plinto/core";
import { buildApp } from "../../workers/api/app";
import type { WebhooksBindings } from "../../workers/webhooks/bindings";
import { webhookConsumer } from "../../workers/webhooks/consumer";
import { type CallOptions, requestFor } from "./helpers";

/** A producer binding that records what is sent and passes it on to the real queue of the test run. */
export function recordingQueue() {
  const sent: WebhookQueueMessage[] = [];
  const real: Queue<WebhookQueueMessage> = env.WEBHOOKS;
  const queue: Queue<WebhookQueueMessage> = {
    metrics: () => real.metrics(),
    send: (message, options) => {
      sent.push(message);
      return real.send(message, options);
    },
    sendBatch: (messages, options) => {
      const list = [...messages];
      sent.push(...list.map((m) => m.body));
      return real.sendBatch(list, options);
    },
  };
  return { queue, sent, take: () => sent.splice(0, sent.length) };
}

export interface ReceivedRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** The local receiver: records requests and answers what the test scripts (a status, a timeout, a network error). */
export function fakeReceiver() {
  const received: ReceivedRequest[] = [];
  const answers: (number | "timeout" | "network_error")[] = [];
  const sender: WebhookSender = async ({ url, headers, body }) => {
    received.push({ url, headers, body });
    const answer = answers.shift() ?? 200;
    return typeof answer === "number" ? { kind: "response", status: answer, latencyMs: 12 } : { kind: answer, latencyMs: 10_000 };
  };
  return { sender, received, answers };
}

/**
 * The api worker and the webhooks consumer over the test's real D1 and KV,
 * sharing one hand-moved clock, with recording queues in place of
 * `WEBHOOKS` and `WEBHOOKS_DLQ`.
 */
export function webhookWorld(options: { allowPrivate?: boolean } = {}) {
  const clock = new ManualClock(Date.now());
  const events = recordingQueue();
  const dlq = recordingQueue();
  const receiver = fakeReceiver();
  const bindings = {
    ...env,
    WEBHOOKS: events.queue,
    WEBHOOKS_DLQ: dlq.queue,
    WEBHOOKS_ALLOW_PRIVATE_ADDRESSES: options.allowPrivate ? "true" : "false",
  };
  const app = buildApp({ clock });
  const consume = webhookConsumer({ clock, sender: receiver.sender, random: () => 0 });
  let messageId = 0;

  async function call(path: string, callOptions: CallOptions = {}): Promise<Response> {
    const ctx = createExecutionContext();
    const response = await app.fetch(requestFor(path, callOptions), bindings, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  /** Runs one batch through the consumer; returns the queue's verdict per message. */
  async function deliver(messages: WebhookQueueMessage[], attempts = 1) {
    const batch = createMessageBatch<WebhookQueueMessage>(
      "plinto-webhooks",
      messages.map((body) => ({ id: `msg-${++messageId}`, timestamp: clock.now(), attempts, body })),
    );
    const ctx = createExecutionContext();
    await consume(batch, bindings satisfies WebhooksBindings);
    return getQueueResult(batch, ctx);
  }

  /** Drains what the api and the consumer queued until nothing new is queued (first attempts only). */
  async function drain(): Promise<void> {
    for (let round = 0; round < 5; round++) {
      const pending = events.take();
      if (pending.length === 0) return;
      await deliver(pending);
    }
  }

  return { clock, events, dlq, receiver, bindings, call, deliver, drain };
}
