/**
 * Which redirect URIs a client may register (RFC 6749 §3.1.2, RFC 9700
 * §4.1.1, RFC 8252 §7, OAuth 2.1 §2.3.1). Registered values are later matched
 * as exact strings, so what is stored here is what must come back.
 */

/** RFC 8252 §7.3: loopback interface redirects over plain http. */
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Schemes that would run code or read local data in a browser if a code were sent there. */
const DANGEROUS_SCHEMES = new Set(["javascript:", "data:", "vbscript:", "file:", "blob:", "about:", "filesystem:"]);
/** RFC 8252 §7.1: a private-use scheme is a reverse domain name, e.g. `com.example.app:`. */
const PRIVATE_USE_SCHEME = /^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/;

export interface RedirectUriOptions {
  /** Native (public) clients may register private-use URI schemes (RFC 8252 §7.1). */
  allowPrivateUseScheme: boolean;
}

/** Null when `uri` may be registered, otherwise why not (shown to the caller). */
export function redirectUriProblem(uri: string, options: RedirectUriOptions): string | null {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return "must be an absolute URI (RFC 6749 §3.1.2)";
  }
  if (uri.includes("#")) return "must not contain a fragment (RFC 6749 §3.1.2)";
  if (/\s/.test(uri)) return "must not contain whitespace";
  if (url.username !== "" || url.password !== "") return "must not contain credentials";
  if (url.protocol === "https:") return url.hostname === "" ? "must name a host" : null;
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname) ? null : "http is allowed only for loopback hosts (RFC 8252 §7.3); use https";
  }
  if (DANGEROUS_SCHEMES.has(url.protocol)) return `the ${url.protocol} scheme is not allowed`;
  if (!options.allowPrivateUseScheme) return "must use https (or http on a loopback host); private-use schemes are for public native clients";
  if (!PRIVATE_USE_SCHEME.test(url.protocol)) return "a private-use scheme must be a reverse domain name such as com.example.app (RFC 8252 §7.1)";
  return null;
}
