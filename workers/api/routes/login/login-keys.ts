/**
 * Keys of the hosted login, derived from KEY_ENCRYPTION_SECRET with HKDF-SHA-256
 * (RFC 5869) under a label per use, so the cookie-signing key, the CSRF key and the
 * key vault's key never coincide. Derived once per isolate and secret.
 */
export type LoginKeyUse = "login-cookie" | "csrf";

const cache = new Map<string, Promise<Uint8Array>>();

async function derive(secret: string, use: LoginKeyUse): Promise<Uint8Array> {
  const encoder = new TextEncoder();
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(32), info: encoder.encode(`plinto hosted login ${use} v1`) },
    material,
    256,
  );
  return new Uint8Array(bits);
}

/** 32 key bytes for `use`, for hono's signed cookies (HMAC-SHA-256) or the CSRF token HMAC. */
export function loginKey(env: Env, use: LoginKeyUse): Promise<Uint8Array> {
  const cacheKey = `${use}:${env.KEY_ENCRYPTION_SECRET}`;
  let key = cache.get(cacheKey);
  if (!key) {
    key = derive(env.KEY_ENCRYPTION_SECRET, use);
    cache.set(cacheKey, key);
  }
  return key;
}
