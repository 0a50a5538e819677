export { SessionStore } from "../../durable-objects/session-store/index.ts";
export { RateLimiter } from "../../durable-objects/rate-limiter/index.ts";

export default {
  async fetch(): Promise<Response> {
    return new Response("Plinto api: under construction", { status: 503 });
  },
} satisfies ExportedHandler<Env>;
