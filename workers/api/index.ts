import { DurableObject } from "cloudflare:workers";
import Argon2 from "@phi-ag/argon2";
import wasm from "@phi-ag/argon2/argon2.wasm";

export class SessionStore extends DurableObject<Env> {
  ping(): string { return "pong"; }
}
export class RateLimiter extends DurableObject<Env> {}

const argon2 = new Argon2(await WebAssembly.instantiate(wasm));

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const { encoded } = argon2.hash("hello world password", { memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const n = await env.DB.prepare("select count(*) as n from placeholder").first<{ n: number }>();
    const stub = env.SESSION_STORE.getByName("x");
    return Response.json({ encoded, n, pong: await stub.ping() });
  },
} satisfies ExportedHandler<Env>;
