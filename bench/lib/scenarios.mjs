// Tenants, users and the request shapes of each scenario, shared by run.mjs
// and profile.mjs.
import { OPERATOR_KEY } from "./server.mjs";

/** The password every bench user has; the argon2-verify route checks the same one. */
export const PASSWORD = "correct horse battery staple 42";
export const USER_AGENT =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
export const JSON_HEADERS = { "content-type": "application/json" };
export const ALGORITHMS = ["RS256", "ES256", "EdDSA"];

/** High enough that no limit is reached during a run (the schema maxima for per-account). */
const RATE_LIMITS = {
  sign_in_per_minute_per_ip: 100_000,
  sign_in_per_minute_per_account: 10_000,
  sign_up_per_hour_per_ip: 100_000,
};

/** Small JSON client for setup calls (not measured). */
export function apiClient(base) {
  const call = async (method, path, body, token, extraHeaders = {}) => {
    const headers = { ...extraHeaders };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(new URL(path, base), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {}
    return { status: response.status, text, json };
  };
  return {
    post: (path, body, token, headers) => call("POST", path, body, token, headers),
    patch: (path, body, token) => call("PATCH", path, body, token),
  };
}

function expectStatus(response, status, what) {
  if (response.status !== status) throw new Error(`${what}: expected ${status}, got ${response.status} ${response.text}`);
  return response.json;
}

/**
 * A tenant signing with `alg`, rate limits raised, and `userCount` users
 * signed up through the API (each sign-up also starts a session, whose
 * refresh token the refresh scenario chains from).
 */
export async function setupTenant(api, alg, userCount) {
  const slug = `bench-${alg.toLowerCase()}`;
  const created = expectStatus(
    await api.post("/api/v1/operator/tenants", { slug, name: `Bench ${alg}` }, OPERATOR_KEY),
    201,
    `create tenant ${slug}`,
  );
  const secretKey = created.secret_key.secret;
  const patch = { rate_limits: RATE_LIMITS };
  if (alg !== "RS256") patch.signing_algorithm = alg;
  const settings = expectStatus(await api.patch(`/t/${slug}/api/v1/admin/settings`, patch, secretKey), 200, `settings ${slug}`);
  if (settings.signing_algorithm !== alg) throw new Error(`tenant ${slug} signs with ${settings.signing_algorithm}`);
  const users = [];
  for (let i = 0; i < userCount; i++) {
    const email = `user${i}@${slug}.example.com`;
    const body = expectStatus(
      await api.post(`/t/${slug}/api/v1/identities`, { email, password: PASSWORD }, undefined, {
        "user-agent": USER_AGENT,
        "cf-connecting-ip": `10.8.0.${i + 1}`,
      }),
      201,
      `sign up ${email}`,
    );
    users.push({ email, refreshToken: body.refresh_token, accessToken: body.access_token });
  }
  const headerAlg = jwtAlg(users[0].accessToken);
  if (headerAlg !== alg) throw new Error(`tenant ${slug}: access token alg ${headerAlg}, expected ${alg}`);
  return { slug, alg, secretKey, users };
}

export function jwtAlg(token) {
  try {
    return JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString("utf8")).alg;
  } catch {
    return null;
  }
}

/** A JWT's payload (claims), decoded without verifying; throws on a malformed token. */
export function jwtClaims(token) {
  return JSON.parse(Buffer.from(token.split(".")[1], "base64url").toString("utf8"));
}

export function helloScenario({ concurrency, durationMs, warmupMs }) {
  return {
    name: "hello",
    concurrency,
    warmupMs,
    durationMs,
    request: () => ({ method: "GET", path: "/__bench/hello" }),
  };
}

export function argon2Scenario({ concurrency, durationMs, warmupMs }) {
  return {
    name: "argon2-verify",
    concurrency,
    warmupMs,
    durationMs,
    request: () => ({ method: "POST", path: "/__bench/argon2-verify", headers: JSON_HEADERS, body: "{}" }),
  };
}

/** Password sign-in, round-robin over the tenant's users; one client IP per virtual client. */
export function signInScenario(tenant, { concurrency, durationMs, warmupMs }) {
  let next = 0;
  return {
    name: `sign-in (${tenant.alg})`,
    concurrency,
    warmupMs,
    durationMs,
    request: (i) => {
      const user = tenant.users[next++ % tenant.users.length];
      return {
        method: "POST",
        path: `/t/${tenant.slug}/api/v1/sessions`,
        headers: { ...JSON_HEADERS, "user-agent": USER_AGENT, "cf-connecting-ip": `10.9.0.${i + 1}` },
        body: JSON.stringify({ email: user.email, password: PASSWORD }),
      };
    },
  };
}

/**
 * Refresh rotation, chained: virtual client i owns user i's session and always
 * presents the refresh token it received last (tokens are single-use; a reuse
 * would revoke the family). Each new token is written back to the tenant's
 * user, so a later scenario can continue the chain. A non-200 ends that
 * client's chain and makes the run invalid. One virtual client per user.
 */
export function refreshScenario(tenant, { durationMs, warmupMs }, { name, path } = {}) {
  const algs = new Set();
  return {
    name: name ?? `refresh (${tenant.alg})`,
    concurrency: tenant.users.length,
    warmupMs,
    durationMs,
    algs,
    request: (i) => ({
      method: "POST",
      path: path ?? `/t/${tenant.slug}/api/v1/sessions/refresh`,
      headers: { ...JSON_HEADERS, "user-agent": USER_AGENT, "cf-connecting-ip": `10.7.0.${i + 1}` },
      body: JSON.stringify(
        path
          ? { slug: tenant.slug, refresh_token: tenant.users[i].refreshToken }
          : { refresh_token: tenant.users[i].refreshToken },
      ),
    }),
    onResponse: (i, status, text) => {
      if (status !== 200) return false;
      const body = JSON.parse(text);
      tenant.users[i].refreshToken = body.refresh_token;
      if (algs.size === 0) algs.add(jwtAlg(body.access_token));
      return true;
    },
  };
}

/** A bench-only part route (bench/workers/parts.ts); `body(i)` is client i's JSON body. */
export function partScenario(part, { concurrency, durationMs, warmupMs, label, body }) {
  return {
    name: label ?? part,
    part,
    concurrency,
    warmupMs,
    durationMs,
    request: (i) => ({
      method: "POST",
      path: `/__bench/parts/${part}`,
      headers: { ...JSON_HEADERS, "user-agent": USER_AGENT, "cf-connecting-ip": `10.6.0.${i + 1}` },
      body: JSON.stringify({ client: i, ...(body ? body(i) : {}) }),
    }),
  };
}
