/** Id prefixes, so an id says what it names. */
/** `mfa` TOTP factor, `pk` passkey, `msg` dev-mailbox message, `org` organization, `inv` invitation, `whe` webhook endpoint, `whd` webhook delivery,
 * `anon` the pseudonym of an erased user in the audit log, `cli` OAuth client, `con` upstream connection, `lid` linked identity. */
export type IdPrefix =
  | "ten"
  | "usr"
  | "ses"
  | "key"
  | "sk"
  | "evt"
  | "mfa"
  | "pk"
  | "msg"
  | "org"
  | "inv"
  | "whe"
  | "whd"
  | "anon"
  | "cli"
  | "con"
  | "lid";

export interface IdGenerator {
  /** `{prefix}_{ULID}`: unique and ordered by creation time. */
  newId(prefix: IdPrefix): string;
}
