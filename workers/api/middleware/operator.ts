import { PlintoError } from "@plinto/core";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../app-env";
import { bearerToken } from "./authenticate";

/** Operator routes need the OPERATOR_KEY secret; compared as SHA-256 digests in constant time. */
export const requireOperator: MiddlewareHandler<AppEnv> = async (c, next) => {
  const presented = bearerToken(c);
  const encoder = new TextEncoder();
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", encoder.encode(presented)),
    crypto.subtle.digest("SHA-256", encoder.encode(c.env.OPERATOR_KEY)),
  ]);
  if (!c.env.OPERATOR_KEY || !crypto.subtle.timingSafeEqual(a, b)) {
    throw new PlintoError("invalid_token", { detail: "operator key required" });
  }
  await next();
};
