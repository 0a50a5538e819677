/**
 * Parser for the PHC string format
 * (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md):
 * `$<id>[$v=<version>][$<param>=<value>(,<param>=<value>)*][$<salt>[$<hash>]]`.
 * Salt and hash stay as text; each scheme decodes them as it needs.
 */
export interface PhcString {
  id: string;
  version?: number;
  params: ReadonlyMap<string, string>;
  salt?: string;
  hash?: string;
}

/** Longest stored hash we look at; real ones are < 200 characters. */
const MAX_LENGTH = 512;
const ID = /^[a-z0-9-]{1,32}$/;
const PARAM = /^([a-z0-9-]{1,32})=([a-zA-Z0-9/+.-]{1,64})$/;
const B64 = /^[A-Za-z0-9+/.-]+$/;

export function parsePhc(text: string): PhcString | null {
  if (text.length > MAX_LENGTH || !text.startsWith("$")) return null;
  const fields = text.slice(1).split("$");
  const id = fields.shift();
  if (id === undefined || !ID.test(id)) return null;

  let version: number | undefined;
  if (fields[0]?.startsWith("v=")) {
    const parsed = parseDecimal(fields.shift()!.slice(2));
    if (parsed === null) return null;
    version = parsed;
  }

  const params = new Map<string, string>();
  if (fields[0]?.includes("=")) {
    for (const pair of fields.shift()!.split(",")) {
      const match = PARAM.exec(pair);
      if (!match || params.has(match[1]!)) return null;
      params.set(match[1]!, match[2]!);
    }
  }

  const [salt, hash, ...rest] = fields;
  if (rest.length > 0) return null;
  if (salt !== undefined && !B64.test(salt)) return null;
  if (hash !== undefined && !B64.test(hash)) return null;
  return { id, version, params, salt, hash };
}

/** A non-negative decimal integer without sign or leading zeros, below 2^32. */
export function parseDecimal(text: string | undefined): number | null {
  if (text === undefined || !/^(0|[1-9][0-9]{0,9})$/.test(text)) return null;
  const value = Number(text);
  return value <= 0xffff_ffff ? value : null;
}
