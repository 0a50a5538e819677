import { type Clock, type CoreDeps, createKeyVault, Keyring, type KeyVault, systemClock } from "@plinto/core";
import { durableObjectRateLimiter } from "./adapters/durable-object-rate-limiter";
import { durableObjectRevocations } from "./adapters/durable-object-revocations";
import { durableObjectSessions } from "./adapters/durable-object-sessions";
import { ulidIds } from "./adapters/ids";
import { queueEventPublisher } from "./adapters/queue-event-publisher";
import { kvJwksMirror } from "./adapters/kv-jwks-mirror";
import type { MailFetcher } from "./adapters/mail/http-mail-api";
import { selectMailer } from "./adapters/mail/select-mailer";
import { createPasswordHasher } from "./adapters/passwords";
import { storageFor } from "./storage";

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

/** Every port but storage: adapters without per-request I/O, so an isolate wires them once per bindings object. */
export type SharedDeps = Omit<CoreDeps, "storage">;

/** Wires the core's ports, storage aside, to this worker's bindings. `clock` and the mail API's fetcher are injectable for tests. */
export async function buildSharedDeps(env: Env, clock: Clock = systemClock, mailFetcher?: MailFetcher): Promise<SharedDeps> {
  return {
    clock,
    ids: ulidIds,
    hasher,
    sessions: durableObjectSessions(env.SESSION_STORE),
    rateLimiter: durableObjectRateLimiter(env.RATE_LIMITER),
    revocations: durableObjectRevocations(env.REVOCATION_LIST),
    vault: await vaultFor(env.KEY_ENCRYPTION_SECRET),
    keyring,
    jwksMirror: kvJwksMirror(env.JWKS_CACHE),
    mailer: selectMailer(env, mailFetcher),
    events: queueEventPublisher(env.WEBHOOKS),
  };
}

/** The ports for one request: the shared ones plus this request's storage (a Postgres client is per request). */
export const depsForRequest = (shared: SharedDeps, env: Env): CoreDeps => ({ ...shared, storage: storageFor(env) });

/** Every port for one request (tests and benches that call the core directly use it too). */
export async function buildDeps(env: Env, clock: Clock = systemClock, mailFetcher?: MailFetcher): Promise<CoreDeps> {
  return depsForRequest(await buildSharedDeps(env, clock, mailFetcher), env);
}
