/**
 * Bench-only micro-benchmark routes, run inside workerd by the edge bench
 * entry (edge-with-baselines.ts), so the figures are workerd's (V8 + BoringSSL
 * WebCrypto), not Node's:
 *
 * - POST /__bench/pool?alg=RS256          body: tokens, one a line (distinct
 *   access tokens minted by the api worker); kept in isolate memory.
 * - POST /__bench/verify-loop?alg=RS256&mode=first|repeat|jose&ms=5000
 *   runs verifications back to back for about `ms` of loop time, timed with
 *   `performance.now()` around the loop only (setup excluded), and answers
 *   `{ ops, loopMs, ... }`:
 *   - first:  `verifyAccessToken` of @plinto/edge, every call a token that
 *     verifier has never seen (each pass over the pool uses a new verifier,
 *     created and given its JWKS before the timer starts);
 *   - repeat: `verifyAccessToken` of tokens it has verified twice before
 *     (admitted to its token cache), cycling through `repeat` of them;
 *   - jose:   bare `jose.jwtVerify(token, cryptoKey)` over the same pool,
 *     with the CryptoKey imported once (the baseline);
 *   - jose-options: `jose.jwtVerify` called the way the verifier calls it
 *     (signature.ts: a key function, `typ`, the required claims, the clock
 *     tolerance and `currentDate`), with the same cached key: what jose itself
 *     costs the verifier, so first - jose-options is the verifier's own work.
 *   The verifier is configured like edge-verify's (origin, JWKS from the KV
 *   mirror then the API service binding), without revocation: the HTTP part
 *   of the bench measures revocation.
 */
import { ACCESS_TOKEN_TYPE, createVerifier, type Verifier } from "@plinto/edge";
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from "jose";
import type { EdgeVerifyBindings } from "../../workers/edge-verify/bindings";

const pools = new Map<string, string[]>();

/** packages/edge/src/claims.ts REQUIRED_CLAIMS (not exported by the package). */
const REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "jti", "sid"];

function newVerifier(env: EdgeVerifyBindings): Verifier {
  return createVerifier({
    origin: env.PLINTO_ORIGIN,
    fetch: (url, init) => env.API.fetch(url, init),
    ...(env.JWKS_CACHE ? { kv: env.JWKS_CACHE } : {}),
  });
}

/** The public key that signed `token`, from the api worker's KV mirror (`jwks:{slug}`), imported once per call. */
export async function keyOf(env: EdgeVerifyBindings, token: string): Promise<CryptoKey> {
  const { kid } = decodeProtectedHeader(token);
  const { iss } = decodeJwt(token);
  const slug = String(iss).split("/t/")[1];
  let jwks = (await env.JWKS_CACHE?.get(`jwks:${slug}`, "json")) as { jwks?: { keys: JWK[] } } | null;
  let keys = jwks?.jwks?.keys;
  if (!keys) {
    const response = await env.API.fetch(`${iss}/.well-known/jwks.json`);
    keys = ((await response.json()) as { keys: JWK[] }).keys;
  }
  const jwk = keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} for ${slug}`);
  return (await importJWK(jwk, jwk.alg)) as CryptoKey;
}

interface LoopResult {
  ops: number;
  loopMs: number;
  passes: number;
  failures: number;
  firstFailure?: string;
  tokenCacheHits?: number;
  jwksLoads?: number;
}

async function timedPass(tokens: readonly string[], from: number, verify: (token: string) => Promise<unknown>, result: LoopResult) {
  const start = performance.now();
  for (let i = from; i < tokens.length; i++) {
    try {
      await verify(tokens[i] as string);
    } catch (error) {
      result.failures++;
      result.firstFailure ??= String((error as { code?: string }).code ?? error);
    }
  }
  result.loopMs += performance.now() - start;
  result.ops += tokens.length - from;
  result.passes++;
}

async function run(env: EdgeVerifyBindings, pool: readonly string[], mode: string, budgetMs: number, repeat: number): Promise<LoopResult> {
  const result: LoopResult = { ops: 0, loopMs: 0, passes: 0, failures: 0 };
  // A wall-clock guard too, in case performance.now() did not advance during CPU work.
  const guardUntil = Date.now() + 4 * budgetMs;
  const more = () => result.loopMs < budgetMs && (result.passes === 0 || Date.now() < guardUntil);
  if (mode === "jose") {
    const key = await keyOf(env, pool[0] as string);
    while (more()) await timedPass(pool, 1, (token) => jwtVerify(token, key), result);
    return result;
  }
  if (mode === "jose-options") {
    const key = await keyOf(env, pool[0] as string);
    const verify = (token: string) =>
      jwtVerify(token, () => key, {
        typ: ACCESS_TOKEN_TYPE,
        requiredClaims: REQUIRED_CLAIMS,
        clockTolerance: 5,
        currentDate: new Date(Date.now()),
      });
    while (more()) await timedPass(pool, 1, verify, result);
    return result;
  }
  if (mode === "first") {
    result.tokenCacheHits = 0;
    result.jwksLoads = 0;
    while (more()) {
      // A new verifier per pass: every timed token is one it has never seen.
      const verifier = newVerifier(env);
      await verifier.verifyAccessToken(pool[0]); // loads the JWKS, untimed
      await timedPass(pool, 1, (token) => verifier.verifyAccessToken(token), result);
      const stats = verifier.stats();
      result.tokenCacheHits += stats.tokenCacheHits;
      result.jwksLoads += stats.jwksLoads;
    }
    return result;
  }
  if (mode === "repeat") {
    const tokens = pool.slice(1, 1 + repeat);
    const verifier = newVerifier(env);
    // Seen twice before the timer starts: the second sighting admits each token to the cache.
    for (let round = 0; round < 2; round++) for (const token of tokens) await verifier.verifyAccessToken(token);
    const before = verifier.stats().tokenCacheHits;
    while (more()) await timedPass(tokens, 0, (token) => verifier.verifyAccessToken(token), result);
    result.tokenCacheHits = verifier.stats().tokenCacheHits - before;
    result.jwksLoads = verifier.stats().jwksLoads;
    return result;
  }
  throw new Error(`unknown mode ${mode}`);
}

export async function verifyLoopRoute(request: Request, env: EdgeVerifyBindings, pathname: string): Promise<Response> {
  const url = new URL(request.url);
  const alg = url.searchParams.get("alg") ?? "RS256";
  if (pathname === "/__bench/pool" && request.method === "POST") {
    const tokens = (await request.text()).split("\n").filter(Boolean);
    pools.set(alg, tokens);
    return Response.json({ alg, tokens: tokens.length });
  }
  if (pathname === "/__bench/verify-loop" && request.method === "POST") {
    const pool = pools.get(alg);
    if (!pool || pool.length < 2) return Response.json({ error: `no token pool for ${alg}` }, { status: 409 });
    const mode = url.searchParams.get("mode") ?? "first";
    const budgetMs = Number(url.searchParams.get("ms") ?? 5000);
    const repeat = Number(url.searchParams.get("repeat") ?? 1000);
    const dateStart = Date.now();
    const perfStart = performance.now();
    const result = await run(env, pool, mode, budgetMs, repeat);
    return Response.json({
      alg,
      mode,
      pool: pool.length,
      ...result,
      // Whole request, by both clocks: the sanity check that performance.now() advances during CPU work.
      requestPerfMs: performance.now() - perfStart,
      requestDateMs: Date.now() - dateStart,
    });
  }
  return Response.json({ error: "not_found" }, { status: 404 });
}
