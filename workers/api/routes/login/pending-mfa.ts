import type { SecondFactorKind } from "@plinto/core";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { AppEnv } from "../../app-env";
import { loginKey } from "./login-keys";

/**
 * A sign-in waiting for its second factor. The mfa_token (single use, 5 minutes, attempts
 * counted by the core) stays out of URLs, pages and logs: it rides in a signed, HttpOnly
 * `__Host-` cookie that lives as long as the challenge and goes when it is answered.
 */
export interface PendingMfa {
  mfaToken: string;
  expiresIn: number;
  factors: SecondFactorKind[];
  enrollmentRequired: boolean;
  /** Where the browser goes once signed in (already checked by safeContinueTo). */
  continueTo: string;
}

const cookieName = (c: Context<AppEnv>) => `__Host-plinto-mfa-${c.get("scope").tenant.id}`;

export async function setPendingMfa(c: Context<AppEnv>, pending: PendingMfa): Promise<void> {
  const key = await loginKey(c.env, "login-cookie");
  await setSignedCookie(c, cookieName(c), JSON.stringify(pending), key, {
    path: "/",
    secure: true,
    httpOnly: true,
    sameSite: "Lax",
    maxAge: pending.expiresIn,
  });
}

function isPendingMfa(value: unknown): value is PendingMfa {
  if (typeof value !== "object" || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.mfaToken === "string" &&
    typeof record.expiresIn === "number" &&
    Array.isArray(record.factors) &&
    typeof record.enrollmentRequired === "boolean" &&
    typeof record.continueTo === "string"
  );
}

/** The pending challenge of this browser, or null (none, tampered or expired cookie). */
export async function getPendingMfa(c: Context<AppEnv>): Promise<PendingMfa | null> {
  const key = await loginKey(c.env, "login-cookie");
  const value = await getSignedCookie(c, key, cookieName(c));
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return isPendingMfa(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function clearPendingMfa(c: Context<AppEnv>): void {
  deleteCookie(c, cookieName(c), { path: "/", secure: true });
}
