import type { Defer } from "./after-response";
import type { Keyring } from "./keys/keyring";
import type { JwksMirror } from "./keys/jwks";
import type { KeyVault } from "./keys/key-vault";
import type { RequestContext, Tenant } from "./model";
import type { Clock } from "./ports/clock";
import type { EventPublisher } from "./ports/event-publisher";
import type { IdGenerator } from "./ports/ids";
import type { Mailer } from "./ports/mailer";
import type { PasswordHasher } from "./ports/password-hasher";
import type { RateLimiter } from "./ports/rate-limiter";
import type { RevocationList } from "./ports/revocation-list";
import type { Storage } from "./ports/repositories";
import type { SessionStore } from "./ports/session-store";

/** Everything the domain services need, injected by the worker (or by tests). */
export interface CoreDeps {
  clock: Clock;
  ids: IdGenerator;
  hasher: PasswordHasher;
  storage: Storage;
  sessions: SessionStore;
  rateLimiter: RateLimiter;
  revocations: RevocationList;
  vault: KeyVault;
  keyring: Keyring;
  jwksMirror: JwksMirror;
  mailer: Mailer;
  /** Webhook events out of the request path: one queue send each (webhooks/publish-event.ts). */
  events: EventPublisher;
}

/** The tenant a request is for, its issuer URL, and where the request came from. */
export interface TenantScope {
  tenant: Tenant;
  /** `{origin}/t/{slug}`; also the default access-token audience. */
  issuer: string;
  request: RequestContext;
  /** Runs a task after the response is sent (the worker's `waitUntil`); see after-response.ts. */
  defer?: Defer;
}

/** Who is acting, for authorisation and the audit log. */
export type Actor =
  | { type: "user"; userId: string; sessionId: string; role: "user" | "admin" }
  | { type: "api_key"; keyId: string }
  | { type: "operator" }
  | { type: "system" }
  | { type: "anonymous" };

export const actorId = (actor: Actor): string | null =>
  actor.type === "user" ? actor.userId : actor.type === "api_key" ? actor.keyId : null;
