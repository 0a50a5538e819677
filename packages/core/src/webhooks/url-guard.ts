/**
 * SSRF guard for webhook URLs (issue 6): checked when an endpoint is saved and
 * again before every delivery. The WHATWG URL parser normalises the host
 * first, so decimal, hex and octal IPv4 (`http://2130706433`, `0x7f.1`) arrive
 * here as dotted quads and IPv6 as its compressed form. Hostnames are resolved
 * by Cloudflare's network, which never routes to the operator's private
 * ranges; literal addresses and local names are refused here. Redirects are
 * not followed (deliver.ts), so a public URL cannot bounce to a private one.
 */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOCAL_NAMES = [/^localhost$/, /\.localhost$/, /\.internal$/, /\.local$/, /\.localdomain$/, /\.home\.arpa$/];

/** [network, prefix length] of IPv4 ranges that are not the public internet (RFC 6890 and friends). */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // "this network"
  [0x0a000000, 8], // RFC 1918
  [0x64400000, 10], // RFC 6598 carrier-grade NAT
  [0x7f000000, 8], // loopback
  [0xa9fe0000, 16], // link-local, cloud metadata 169.254.169.254
  [0xac100000, 12], // RFC 1918
  [0xc0000000, 24], // IETF protocol assignments
  [0xc0a80000, 16], // RFC 1918
  [0xc6120000, 15], // benchmarking
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function ipv4ToInt(host: string): number | null {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

const isPrivateV4 = (value: number): boolean =>
  PRIVATE_V4.some(([network, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(network / 2 ** (32 - bits)));

/** Eight 16-bit groups of a normalised IPv6 literal (without brackets), or null. */
function ipv6Groups(host: string): number[] | null {
  let text = host;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const value = ipv4ToInt(v4[1]);
    if (value === null) return null;
    text = `${text.slice(0, -v4[1].length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const parse = (part: string) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const fill = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  const groups = [...left, ...fill, ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

function isPrivateV6(groups: number[]): boolean {
  const [g0 = 0, , , , , g5 = 0, g6 = 0, g7 = 0] = groups;
  const embeddedV4 = g6 * 65_536 + g7;
  const firstFive = groups.slice(0, 5).every((g) => g === 0);
  if (firstFive && g5 === 0) return true; // ::, ::1, IPv4-compatible ::a.b.c.d
  if (firstFive && g5 === 0xffff) return isPrivateV4(embeddedV4); // IPv4-mapped ::ffff:a.b.c.d
  if (g0 === 0x64 && groups[1] === 0xff9b) return isPrivateV4(embeddedV4); // NAT64 64:ff9b::/96
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7 (incl. fd00:ec2::254 metadata)
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xffc0) === 0xfec0) return true; // link-local, site-local
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  return false;
}

/** `allowPrivate`: local development only (http and private addresses); see allowPrivateWebhookTargets. */
export function checkWebhookUrl(raw: string, allowPrivate: boolean): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) {
    return { ok: false, reason: "must use https" };
  }
  if (allowPrivate) return { ok: true, url };
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (LOCAL_NAMES.some((pattern) => pattern.test(host))) return { ok: false, reason: "local host names are not allowed" };
  const v4 = ipv4ToInt(host);
  if (v4 !== null && isPrivateV4(v4)) return { ok: false, reason: "private, loopback or link-local addresses are not allowed" };
  if (host.startsWith("[")) {
    const groups = ipv6Groups(host.slice(1, -1));
    if (!groups || isPrivateV6(groups)) return { ok: false, reason: "private, loopback or link-local addresses are not allowed" };
  }
  return { ok: true, url };
}

/** The explicit local-dev switch is honoured only when PLINTO_ENV is development or test. */
export const allowPrivateWebhookTargets = (plintoEnv: string, setting: string | undefined): boolean =>
  (plintoEnv === "development" || plintoEnv === "test") && setting === "true";
