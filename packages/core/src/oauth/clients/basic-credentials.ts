import { PlintoError } from "../../errors";

/** A client id and secret taken from an HTTP Basic Authorization header. */
export interface BasicCredentials {
  clientId: string;
  clientSecret: string;
}

/** `application/x-www-form-urlencoded` decoding of one value (RFC 6749 Appendix B): `+` is a space, then %XX. */
function formDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "));
  } catch {
    throw new PlintoError("invalid_client", { detail: "the Basic credentials are not form-urlencoded" });
  }
}

/** Base64 (RFC 4648 §4, standard alphabet, padded) to a UTF-8 string. */
function decodeBase64Utf8(value: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) {
    throw new PlintoError("invalid_client", { detail: "the Basic credentials are not valid base64" });
  }
  const bytes = Uint8Array.from(atob(value), (char) => char.charCodeAt(0));
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new PlintoError("invalid_client", { detail: "the Basic credentials are not valid UTF-8" });
  }
}

/**
 * client_secret_basic (RFC 6749 §2.3.1): the client id and secret are each
 * form-urlencoded, joined with `:` and base64-encoded (RFC 7617). Returns null
 * when the header is absent or uses another scheme (those are not client
 * credentials); a malformed Basic header fails with invalid_client.
 */
export function parseBasicCredentials(authorization: string | null): BasicCredentials | null {
  if (authorization === null) return null;
  const match = /^basic[ ]+(\S+)[ ]*$/i.exec(authorization);
  if (!match) {
    if (/^basic(\s|$)/i.test(authorization)) throw new PlintoError("invalid_client", { detail: "malformed Basic credentials" });
    return null;
  }
  const decoded = decodeBase64Utf8(match[1] ?? "");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new PlintoError("invalid_client", { detail: "the Basic credentials lack a ':' separator" });
  const clientId = formDecode(decoded.slice(0, colon));
  const clientSecret = formDecode(decoded.slice(colon + 1));
  if (clientId === "") throw new PlintoError("invalid_client", { detail: "the Basic credentials name no client" });
  return { clientId, clientSecret };
}
