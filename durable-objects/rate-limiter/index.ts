import { DurableObject } from "cloudflare:workers";

/** Placeholder: being implemented. */
export class RateLimiter extends DurableObject<Env> {}
