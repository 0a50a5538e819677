/** Id prefixes, so an id says what it names. */
/** `mfa` TOTP factor, `pk` passkey, `msg` dev-mailbox message. */
export type IdPrefix = "ten" | "usr" | "ses" | "key" | "sk" | "evt" | "mfa" | "pk" | "msg";

export interface IdGenerator {
  /** `{prefix}_{ULID}`: unique and ordered by creation time. */
  newId(prefix: IdPrefix): string;
}
