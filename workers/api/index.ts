import { buildApp } from "./app";

export { RateLimiter } from "../../durable-objects/rate-limiter/index";
export { RevocationList } from "../../durable-objects/revocation-list/index";
export { SessionStore } from "../../durable-objects/session-store/index";

const app = buildApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<Env>;
