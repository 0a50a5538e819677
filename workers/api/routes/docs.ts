import { swaggerUI } from "@hono/swagger-ui";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { PLINTO_VERSION } from "./health";

const DOCS_CSP = [
  "default-src 'none'",
  "script-src https://cdn.jsdelivr.net 'unsafe-inline'",
  "style-src https://cdn.jsdelivr.net 'unsafe-inline'",
  "img-src 'self' data: https://cdn.jsdelivr.net",
  "connect-src 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** OpenAPI 3.1 document generated from the zod routes, and a Swagger UI page reading it. */
export function mountDocs(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "An access token from sign-in or refresh",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "secretKey", {
    type: "http",
    scheme: "bearer",
    description: "A tenant secret key `sk_...`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "operatorKey", {
    type: "http",
    scheme: "bearer",
    description: "The OPERATOR_KEY secret",
  });
  app.doc31("/api/v1/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Plinto API",
      version: PLINTO_VERSION,
      description: "Auth, management and operator API. Errors are RFC 9457 problem+json with a stable `code`.",
    },
  });
  app.get("/api/v1/docs", async (c, next) => {
    await next();
    c.res.headers.set("Content-Security-Policy", DOCS_CSP);
  }, swaggerUI({ url: "/api/v1/openapi.json", title: "Plinto API" }));
}
