import { OpenAPIHono } from "@hono/zod-openapi";
import { PlintoError } from "@plinto/core";
import type { AppEnv } from "./app-env";

/**
 * Every sub-app is made here, so request validation fails the same way
 * everywhere: 400 `validation_failed` listing each failing field.
 */
export function createRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      throw new PlintoError("validation_failed", {
        // An unknown key (strict objects) fails at the object; name the key itself as the failing field.
        errors: result.error.issues.flatMap((issue) => {
          const paths = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
          return paths.map((path) => ({
            path: path.map(String).join(".") || result.target,
            message: issue.message,
            code: issue.code,
          }));
        }),
      });
    },
  });
}
