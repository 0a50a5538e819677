export { SessionStore } from "../../durable-objects/session-store/index";
export { RateLimiter } from "../../durable-objects/rate-limiter/index";

export default {
  async fetch(): Promise<Response> {
    return new Response("Plinto api: under construction", { status: 503 });
  },
} satisfies ExportedHandler<Env>;
