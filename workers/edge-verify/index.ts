import { buildEdgeVerifyApp } from "./app";
import type { EdgeVerifyBindings } from "./bindings";

const app = buildEdgeVerifyApp();

export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
} satisfies ExportedHandler<EdgeVerifyEnv & EdgeVerifyBindings>;
