/**
 * The redirect back to the client (RFC 6749 §4.1.2 and §4.1.2.1): the parameters are added to the
 * redirect URI's query, keeping any query it already has (§3.1.2), with `iss` (RFC 9207 §2) and
 * `state` exactly as received.
 */
export function authorizationResponseUri(redirectUri: string, params: Record<string, string | null>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value !== null) query.append(name, value);
  const hash = redirectUri.indexOf("#");
  const base = hash === -1 ? redirectUri : redirectUri.slice(0, hash);
  return `${base}${base.includes("?") ? "&" : "?"}${query.toString()}`;
}
