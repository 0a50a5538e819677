import type { IdGenerator } from "@plinto/core";
import { monotonicFactory } from "ulid";

const nextUlid = monotonicFactory();

/** `{prefix}_{ULID}`; monotonic within a millisecond, so ids sort in creation order. */
export const ulidIds: IdGenerator = {
  newId: (prefix) => `${prefix}_${nextUlid()}`,
};
