/** Id prefixes, so an id says what it names. */
export type IdPrefix = "ten" | "usr" | "ses" | "key" | "sk" | "evt";

export interface IdGenerator {
  /** `{prefix}_{ULID}`: unique and ordered by creation time. */
  newId(prefix: IdPrefix): string;
}
