import { PlintoError } from "../errors";
import type { ClaimMapping } from "./presets";
import { GITHUB_API } from "./presets";
import { upstreamJson } from "./upstream-http";

/** Who the provider says signed in. */
export interface UpstreamProfile {
  subject: string;
  email: string | null;
  /** True only when the provider asserted it verified the address. */
  emailVerified: boolean;
  name: string | null;
  /** Display claims kept on the linked identity (no tokens). */
  extra: Record<string, unknown>;
}

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() !== "" ? value.trim() : null);

/** Apple sends `"true"`; everyone else a boolean. Anything else is unverified. */
const asserted = (value: unknown): boolean => value === true || value === "true";

/** Maps claims (ID token and userinfo) through the connection's mapping. */
export function profileFromClaims(claims: Record<string, unknown>, mapping: ClaimMapping): UpstreamProfile {
  const rawSubject = claims[mapping.subject];
  const subject = typeof rawSubject === "number" && Number.isSafeInteger(rawSubject) ? String(rawSubject) : text(rawSubject);
  if (!subject) throw new PlintoError("upstream_token_rejected", { detail: `the provider's claims have no ${mapping.subject}` });
  const extra: Record<string, unknown> = {};
  for (const key of ["picture", "preferred_username", "login", "avatar_url"]) if (text(claims[key])) extra[key] = claims[key];
  return {
    subject,
    email: text(claims[mapping.email]),
    emailVerified: mapping.emailVerified !== null && asserted(claims[mapping.emailVerified]),
    name: text(claims[mapping.name]),
    extra,
  };
}

/** Fetches a userinfo document (OIDC Core §5.3, or an OAuth 2.0 provider's user API) with the access token. */
export async function fetchUserinfo(url: string, accessToken: string): Promise<Record<string, unknown>> {
  const { status, body } = await upstreamJson(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  if (status !== 200) throw new PlintoError("upstream_unavailable", { detail: `the provider's user endpoint answered ${status}` });
  return body;
}

interface GitHubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

const isGitHubEmail = (value: unknown): value is GitHubEmail =>
  typeof value === "object" && value !== null && typeof (value as GitHubEmail).email === "string" && typeof (value as GitHubEmail).primary === "boolean";

/**
 * GitHub's `/user` has no verification flag and shows only a public address:
 * the primary address and whether GitHub verified it come from `/user/emails`
 * (scope `user:email`). Without that scope the address stays unverified.
 */
export async function githubEmail(accessToken: string, apiBase = GITHUB_API): Promise<{ email: string; verified: boolean } | null> {
  const { status, body } = await upstreamJson(`${apiBase}/user/emails`, {
    headers: { Authorization: `Bearer ${accessToken}`, Accept: "application/vnd.github+json" },
  }).catch(() => ({ status: 0, body: {} }));
  // The answer is a JSON array; upstreamJson returns it as an object with numeric keys.
  if (status !== 200) return null;
  const primary = Object.values(body).filter(isGitHubEmail).find((entry) => entry.primary);
  return primary ? { email: primary.email, verified: primary.verified === true } : null;
}
