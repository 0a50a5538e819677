import { type Clock, type CoreDeps, createKeyVault, Keyring, type KeyVault, systemClock } from "@plinto/core";
import { createD1Storage } from "@plinto/storage";
import { durableObjectRateLimiter } from "./adapters/durable-object-rate-limiter";
import { durableObjectRevocations } from "./adapters/durable-object-revocations";
import { durableObjectSessions } from "./adapters/durable-object-sessions";
import { ulidIds } from "./adapters/ids";
import { kvJwksMirror } from "./adapters/kv-jwks-mirror";
import type { MailFetcher } from "./adapters/mail/http-mail-api";
import { selectMailer } from "./adapters/mail/select-mailer";
import { createPasswordHasher } from "./adapters/passwords";

/** Per-isolate state: imported keys and the derived vault key are reused across requests (none is an I/O object). */
const keyring = new Keyring();
const hasher = createPasswordHasher();
const vaults = new Map<string, Promise<KeyVault>>();

function vaultFor(secret: string): Promise<KeyVault> {
  let vault = vaults.get(secret);
  if (!vault) {
    vault = createKeyVault(secret);
    vaults.set(secret, vault);
  }
  return vault;
}

/** Wires the core's ports to this worker's bindings. `clock` and the mail API's fetcher are injectable for tests. */
export async function buildDeps(env: Env, clock: Clock = systemClock, mailFetcher?: MailFetcher): Promise<CoreDeps> {
  return {
    clock,
    ids: ulidIds,
    hasher,
    storage: createD1Storage(env.DB),
    sessions: durableObjectSessions(env.SESSION_STORE),
    rateLimiter: durableObjectRateLimiter(env.RATE_LIMITER),
    revocations: durableObjectRevocations(env.REVOCATION_LIST),
    vault: await vaultFor(env.KEY_ENCRYPTION_SECRET),
    keyring,
    jwksMirror: kvJwksMirror(env.JWKS_CACHE),
    mailer: selectMailer(env, mailFetcher),
  };
}
