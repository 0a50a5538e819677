import { utf8 } from "../crypto/encoding";

/**
 * Standard Webhooks signing (standardwebhooks.com spec, "Signature scheme"):
 * `webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>`,
 * the key being the base64 bytes after `whsec_`. Several signatures are
 * space-separated, which is how a rotation overlap signs with both secrets.
 */
export const SECRET_PREFIX = "whsec_";

const toBase64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(text), (c) => c.charCodeAt(0)) as Uint8Array<ArrayBuffer>;

/** A new `whsec_` secret: 32 random bytes, base64 (the spec's recommended size is 24 to 64 bytes). */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(32)))}`;
}

async function signOne(secret: string, content: Uint8Array<ArrayBuffer>): Promise<string> {
  const key = await crypto.subtle.importKey("raw", fromBase64(secret.slice(SECRET_PREFIX.length)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return `v1,${toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", key, content)))}`;
}

export interface SignedHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** Headers for one attempt; `timestampSeconds` is the attempt's time (the spec's replay window is checked against it). */
export async function signWebhook(secrets: string[], id: string, timestampSeconds: number, body: string): Promise<SignedHeaders> {
  const content = utf8(`${id}.${timestampSeconds}.${body}`);
  const signatures = await Promise.all(secrets.map((secret) => signOne(secret, content)));
  return { "webhook-id": id, "webhook-timestamp": String(timestampSeconds), "webhook-signature": signatures.join(" ") };
}
