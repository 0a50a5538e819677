import { PlintoError, type Storage } from "@plinto/core";

type Method = (...args: never[]) => Promise<unknown>;

const guardMethod =
  (method: Method, translate: (error: unknown) => unknown): Method =>
  (...args) =>
    method(...args).catch((error: unknown) => Promise.reject(translate(error)));

function guardMembers(target: object, translate: (error: unknown) => unknown): Record<string, unknown> {
  const guarded: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(target)) {
    guarded[name] =
      typeof member === "function"
        ? guardMethod(member as Method, translate)
        : typeof member === "object" && member !== null
          ? guardMembers(member, translate)
          : member;
  }
  return guarded;
}

/**
 * Storage whose connection failures (the database down, unreachable or
 * refusing connections) surface as `PlintoError("storage_unavailable")`, which
 * the worker's one error mapper answers with 503. Every other error passes
 * through unchanged: constraint violations are already domain errors, bugs
 * stay 500. The driver's error rides along as `cause` for the log.
 */
export function guardStorage(storage: Storage, isConnectionFailure: (error: unknown) => boolean): Storage {
  return guardMembers(storage, unavailableWhen(isConnectionFailure)) as unknown as Storage;
}

/** `storage_unavailable` (the driver's error as `cause`) for connection failures; any other error unchanged. */
export const unavailableWhen =
  (isConnectionFailure: (error: unknown) => boolean) =>
  (error: unknown): unknown =>
    isConnectionFailure(error)
      ? Object.assign(new PlintoError("storage_unavailable", { retryAfterSeconds: 5 }), { cause: error })
      : error;
