import { expect } from "vitest";
import { call, expectProblem, freshIp, json, STRONG_PASSWORD, type TestTenant, type TokenBody, uniqueSlug } from "./helpers";

/** A fresh email no other test uses. */
export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${uniqueSlug("e")}@example.com`;
}

/** `POST /identities` with any body, from a fresh IP (so sign-up rate limits never leak across tests). */
export function postIdentity(tenant: TestTenant, body: unknown, ip = freshIp()): Promise<Response> {
  return call(`${tenant.base}/identities`, { body, ip });
}

/** A sign-up that must succeed; returns the token body. */
export async function signUpOk(tenant: TestTenant, email = uniqueEmail(), password = STRONG_PASSWORD): Promise<TokenBody> {
  const response = await postIdentity(tenant, { email, password });
  expect(response.status).toBe(201);
  return json<TokenBody>(response);
}

interface FieldProblem {
  code: string;
  errors?: { path: string; message: string; code: string }[];
}

/** A 400 `validation_failed` problem that names exactly these failing fields (order free). */
export async function expectValidation(response: Response, paths: string[]): Promise<FieldProblem> {
  const body = (await expectProblem(response, 400, "validation_failed")) as FieldProblem;
  expect(body.errors).toBeDefined();
  expect([...new Set(body.errors?.map((error) => error.path))].sort()).toEqual([...paths].sort());
  for (const error of body.errors ?? []) {
    expect(typeof error.message).toBe("string");
    expect(typeof error.code).toBe("string");
  }
  return body;
}

/** Every object key anywhere in a JSON value, and every string value. */
export function walkJson(value: unknown, keys: string[] = [], strings: string[] = []): { keys: string[]; strings: string[] } {
  if (typeof value === "string") strings.push(value);
  else if (Array.isArray(value)) for (const item of value) walkJson(item, keys, strings);
  else if (value !== null && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      keys.push(key);
      walkJson(inner, keys, strings);
    }
  }
  return { keys, strings };
}

/** No password or hash material anywhere in a response body. */
export function expectNoPasswordMaterial(body: unknown, password: string): void {
  const { keys, strings } = walkJson(body);
  expect(keys.filter((key) => /pass|hash|secret|salt/i.test(key))).toEqual([]);
  expect(strings.filter((value) => /^\$(argon2|2[aby]\$|scrypt|pbkdf2)/.test(value))).toEqual([]);
  expect(strings).not.toContain(password);
}

/** Headers every response must carry, whatever its status. */
export function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get("Strict-Transport-Security")).toMatch(/max-age=\d+/);
  expect(response.headers.get("X-Content-Type-Options")).toBe("nosniff");
  expect(response.headers.get("X-Frame-Options")).toBe("DENY");
  expect(response.headers.get("Referrer-Policy")).toBeTruthy();
  expect(response.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
}
