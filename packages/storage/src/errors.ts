import { PlintoError } from "@plinto/core";

/** Walks an error and its `cause` chain (drizzle wraps the driver's error as `cause`). */
function* chain(error: unknown): Generator<unknown> {
  for (let current = error, depth = 0; current !== undefined && current !== null && depth < 5; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined;

/**
 * For `.catch` on a write: a unique-index refusal becomes the domain error
 * `refusal()` makes (`email_taken`, `slug_taken`, ...); any other error is
 * rethrown unchanged. One place for what both backends do on a clash.
 */
export const uniqueViolationAs =
  (refusal: () => PlintoError) =>
  (error: unknown): never => {
    if (isUniqueViolation(error)) throw refusal();
    throw error;
  };

/** A unique index refused the write: D1 says "UNIQUE constraint failed", Postgres answers SQLSTATE 23505. */
export function isUniqueViolation(error: unknown): boolean {
  for (const link of chain(error)) {
    if (codeOf(link) === "23505") return true;
    if (link instanceof Error && /UNIQUE constraint failed/i.test(link.message)) return true;
  }
  return false;
}
