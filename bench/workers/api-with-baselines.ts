/**
 * Bench-only entry: the api worker unchanged, plus two baseline routes served
 * by the same isolate, so one run can report ratios:
 *
 * - GET  /__bench/hello           a hello-world response (the ceiling for any route)
 * - POST /__bench/argon2-verify   one argon2id verification of a precomputed
 *   PHC hash at ARGON2ID_PARAMS, through the same adapter sign-in uses
 *   (`createPasswordHasher().verify`): the bare hash rate over HTTP.
 * - POST /__bench/parts/{name}     one part of the sign-in or refresh path on
 *   its own (see parts.ts), for the breakdown table.
 *
 * Every other path goes to the api worker's own fetch handler.
 */
import api from "../../workers/api/index";
import { ARGON2ID_PARAMS, createPasswordHasher } from "../../workers/api/adapters/passwords";
import { runPart } from "./parts";

// Every Durable Object class the api worker exports (the bench config is the api worker's own).
export * from "../../workers/api/index";

/** The password the bench signs users up with; argon2-verify checks the same one. */
const PASSWORD = "correct horse battery staple 42";
const hasher = createPasswordHasher();
let precomputed: string | undefined;

async function argon2Verify(): Promise<Response> {
  // Hashed once per isolate (the bench warms this route up before measuring).
  precomputed ??= await hasher.hash(PASSWORD);
  const check = await hasher.verify(precomputed, PASSWORD);
  if (!check.ok || check.needsRehash) return Response.json({ ok: false }, { status: 500 });
  const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2ID_PARAMS;
  return Response.json({ ok: true, params: `m=${m},t=${t},p=${p}`, hash: precomputed.split("$").slice(0, 4).join("$") });
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/__bench/hello") return new Response("Hello World!");
    if (pathname === "/__bench/argon2-verify" && request.method === "POST") return argon2Verify();
    if (pathname.startsWith("/__bench/parts/") && request.method === "POST") {
      return runPart(pathname.slice("/__bench/parts/".length), request, env);
    }
    return api.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
