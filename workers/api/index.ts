import { buildApp } from "./app";
import { purgeExpiredOneTimeTokens } from "./jobs/purge-expired";
import { sealPendingAuditChains } from "./jobs/seal-audit-chains";
import { storageFor } from "./storage";

export { RateLimiter } from "../../durable-objects/rate-limiter/index";
export { RevocationList } from "../../durable-objects/revocation-list/index";
export { SessionStore } from "../../durable-objects/session-store/index";

const app = buildApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  /** Cron (wrangler.toml `[triggers]`): housekeeping that no request depends on. */
  scheduled: async (controller, env) => {
    const storage = storageFor(env);
    try {
      await purgeExpiredOneTimeTokens(storage.oneTimeTokens, controller.scheduledTime);
      await sealPendingAuditChains(storage);
    } finally {
      await storage.close?.();
    }
  },
} satisfies ExportedHandler<Env>;
