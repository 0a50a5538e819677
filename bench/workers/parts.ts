/**
 * Bench-only routes that run one part of the sign-in or refresh path on its
 * own, with the worker's real dependencies (`buildDeps`: D1, the Durable
 * Objects, the keyring), so `npm run bench` can say where a request's CPU
 * goes. None of this is reachable in the deployed worker.
 *
 * POST /__bench/parts/{name}, JSON body; 200 on success, 500 with a reason otherwise.
 */
import {
  type CoreDeps,
  issuerFor,
  type PasswordHasher,
  recordAuditEvent,
  refreshSession,
  type SessionRecord,
  signIn,
  signSessionAccessToken,
  type Tenant,
  type TenantScope,
  verifyAccessToken,
} from "@plinto/core";
import { buildDeps } from "../../workers/api/deps";

interface PartBody {
  slug?: string;
  email?: string;
  password?: string;
  refresh_token?: string;
  client?: number;
  token?: string;
  count?: number;
}

const tenants = new Map<string, Tenant>();

async function scopeFor(deps: CoreDeps, request: Request, env: Env, slug: string): Promise<TenantScope> {
  let tenant = tenants.get(slug);
  if (!tenant) {
    const found = await deps.storage.tenants.getBySlug(slug);
    if (!found) throw new Error(`no tenant ${slug}`);
    tenant = found;
    tenants.set(slug, tenant);
  }
  const origin = env.PUBLIC_ORIGIN || new URL(request.url).origin;
  return {
    tenant,
    issuer: issuerFor(origin, slug),
    request: {
      ip: request.headers.get("CF-Connecting-IP"),
      userAgent: request.headers.get("User-Agent")?.slice(0, 512) ?? null,
    },
  };
}

/** User ids by tenant and email, looked up once per isolate (the write part measures writes only). */
const userIds = new Map<string, string>();
async function userIdFor(deps: CoreDeps, tenantId: string, email: string): Promise<string> {
  const key = `${tenantId}:${email}`;
  let id = userIds.get(key);
  if (!id) {
    const user = await deps.storage.users.getByEmail(tenantId, email);
    if (!user) throw new Error("no such user");
    id = user.id;
    userIds.set(key, id);
  }
  return id;
}

/** A hasher whose verify always succeeds at no cost: sign-in minus the password hash. */
function freeHasher(real: PasswordHasher): PasswordHasher {
  return { ...real, verify: async () => ({ ok: true, needsRehash: false }) };
}

/** Per-client state of the DO-only rotation chain: the session's current token digest. */
const rotationChains = new Map<number, string>();
const randomHex = () => [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");

const FAKE_SESSION: SessionRecord = {
  id: "ses_01BENCHBENCHBENCHBENCHBENCH",
  userId: "usr_01BENCHBENCHBENCHBENCHBENCH",
  createdAt: 0,
  lastUsedAt: 0,
  expiresAt: Number.MAX_SAFE_INTEGER,
  idleExpiresAt: Number.MAX_SAFE_INTEGER,
  ip: null,
  userAgent: null,
  amr: ["pwd"],
  verifiedAt: 0,
  organizationId: null,
  revokedAt: null,
  revokeReason: null,
};

type Part = (deps: CoreDeps, body: PartBody, request: Request, env: Env) => Promise<unknown>;

const parts: Record<string, Part> = {
  /** Core signIn with the real deps except the hash: rate limits, lock check, D1 reads/writes, session create, signing, audit. */
  "sign-in-without-argon2": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const result = await signIn({ ...deps, hasher: freeHasher(deps.hasher) }, scope, {
      email: body.email ?? "",
      password: body.password ?? "",
    });
    if (result.status !== "signed_in") throw new Error(`bench user must not need MFA (got ${result.status})`);
    return { session_id: result.tokens.session.id };
  },
  /** Core refreshSession (DO rotation + signing) without the Hono app around it. Chained like the real route. */
  "refresh-core": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const tokens = await refreshSession(deps, scope, body.refresh_token ?? "");
    return { refresh_token: tokens.refreshToken, access_token: tokens.accessToken };
  },
  /** Access-token signing only (keyring lookup + jose SignJWT), with the tenant's algorithm. */
  "sign-access-token": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const { accessToken } = await signSessionAccessToken(deps, scope, FAKE_SESSION);
    return { access_token: accessToken };
  },
  /**
   * `count` (<= 2,000) access tokens signed like sign-access-token, each for a
   * distinct session and user (so each has its own `sid`, `sub` and `jti`):
   * the pool of distinct tokens bench/edge.mjs verifies at the edge.
   */
  "mint-access-tokens": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const count = Math.min(2_000, Math.max(1, Number(body.count ?? 1)));
    const tokens: string[] = [];
    for (let i = 0; i < count; i++) {
      const id = `${body.client ?? 0}_${i}_${randomHex().slice(0, 12)}`;
      const session = { ...FAKE_SESSION, id: `ses_bench_${id}`, userId: `usr_bench_${id}` };
      tokens.push((await signSessionAccessToken(deps, scope, session)).accessToken);
    }
    return { tokens };
  },
  /** Access-token verification as the api worker does it (keyring-cached key, jose jwtVerify): the other side of the algorithm trade-off. */
  "verify-access-token": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const claims = await verifyAccessToken({
      token: body.token ?? "",
      tenantId: scope.tenant.id,
      issuer: scope.issuer,
      audience: scope.issuer,
      now: deps.clock.now(),
      keyring: deps.keyring,
      keys: deps.storage.signingKeys,
    });
    return { sub: claims.sub };
  },
  /** SessionStore.rotate alone: one DO RPC, the rotation's SQL in one transaction. Chained per client. */
  "do-rotate": async (deps, body) => {
    const client = body.client ?? 0;
    const store = deps.sessions.forUser("bench", `rotate-${client}`);
    const now = deps.clock.now();
    let current = rotationChains.get(client);
    if (!current) {
      current = randomHex();
      await store.create({
        sessionId: `ses_bench_${client}_${randomHex().slice(0, 8)}`,
        userId: `rotate-${client}`,
        refreshTokenHash: current,
        now,
        absoluteTtlSeconds: 30 * 86_400,
        idleTtlSeconds: 14 * 86_400,
        ip: null,
        userAgent: null,
        amr: ["pwd"],
      });
    }
    const next = randomHex();
    const result = await store.rotate({
      presentedHash: current,
      nextHash: next,
      now,
      ip: "10.0.0.1",
      userAgent: "bench",
      idleTtlSeconds: 14 * 86_400,
      revocation: { list: "bench", accessTokenTtlSeconds: 900 },
    });
    if (result.status !== "rotated") throw new Error(`rotate: ${result.status}`);
    rotationChains.set(client, next);
    return { status: result.status };
  },
  /** A read-only SessionStore RPC (get of a missing session): the DO round trip with almost no SQL. */
  "do-rpc-read": async (deps, body) => {
    const store = deps.sessions.forUser("bench", `read-${body.client ?? 0}`);
    return { session: await store.get("ses_missing", deps.clock.now()) };
  },
  /** One RateLimiter.consume (one of the four rate-limiter RPCs a sign-in makes). */
  "rate-limit-consume": async (deps, body) => {
    const decision = await deps.rateLimiter.consume(`bench:consume:${body.client ?? 0}`, { limit: 100_000, windowSeconds: 60 }, deps.clock.now());
    if (!decision.allowed) throw new Error("rate limited");
    return { remaining: decision.remaining };
  },
  /** One read through the storage adapter (drizzle, D1 or Postgres as bound): the user lookup a sign-in makes. */
  "get-user-by-email": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const user = await deps.storage.users.getByEmail(scope.tenant.id, body.email ?? "");
    if (!user) throw new Error("no such user");
    return { id: user.id };
  },
  /**
   * The relational write of a password sign-in (core `openSession`): the user's
   * `last_sign_in_at` update and the `sign_in.succeeded` audit event. The
   * session itself lives in the SessionStore Durable Object, not in D1/Postgres.
   */
  "sign-in-write": async (deps, body, request, env) => {
    const scope = await scopeFor(deps, request, env, body.slug ?? "");
    const userId = await userIdFor(deps, scope.tenant.id, body.email ?? "");
    const sessionId = `ses_bench_${randomHex().slice(0, 20)}`;
    await deps.storage.users.update(scope.tenant.id, userId, { lastSignInAt: deps.clock.now() });
    await recordAuditEvent(deps, scope, {
      type: "sign_in.succeeded",
      actor: { type: "user", userId, sessionId, role: "user" },
      subjectId: userId,
      data: { session_id: sessionId, amr: ["pwd"] },
    });
    return { user_id: userId };
  },
};

export async function runPart(name: string, request: Request, env: Env): Promise<Response> {
  const part = parts[name];
  if (!part) return Response.json({ error: `no part ${name}` }, { status: 404 });
  try {
    const body = (await request.json()) as PartBody;
    const deps = await buildDeps(env);
    return Response.json(await part(deps, body, request, env));
  } catch (error) {
    return Response.json({ error: String((error as Error)?.message ?? error) }, { status: 500 });
  }
}
