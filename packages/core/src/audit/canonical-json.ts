/**
 * JSON Canonicalization Scheme (RFC 8785), for the values audit events hold:
 * null, booleans, finite numbers, strings, arrays and plain objects.
 *
 * - §3.2.2.2 strings and §3.2.2.3 numbers serialise exactly as ECMAScript's
 *   JSON.stringify does, so it is used for every primitive.
 * - §3.2.3 object members are sorted by their names' UTF-16 code units, which
 *   is what the default comparison of JS strings does (no locale).
 * - §3.2.2 no whitespace between tokens.
 * Object members whose value is undefined are left out, as JSON.stringify
 * leaves them out of what is stored; any other non-JSON value (functions,
 * NaN, Infinity, bigint, class instances) is refused.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("RFC 8785 §3.2.2.3: numbers must be finite");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, inner]) => inner !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonicalJson(inner)}`).join(",")}}`;
  }
  throw new TypeError(`RFC 8785: cannot canonicalise a ${typeof value}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
