import { DurableObject } from "cloudflare:workers";

/** Placeholder: being implemented. */
export class SessionStore extends DurableObject<Env> {}
