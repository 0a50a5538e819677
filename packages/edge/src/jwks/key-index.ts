import type { KeyRecord } from "./tenant-keys";

/**
 * Every loaded key of every tenant by kid, so a token's key is found from its
 * header alone, without decoding the payload for `iss` first. A kid published
 * by two tenants is ambiguous here; the verifier then goes by the token's issuer.
 * Whichever way the key was found, the verified `iss` must name its tenant.
 */
export class KeyIndex {
  private readonly byKid = new Map<string, KeyRecord[]>();

  /** The one loaded key with this kid, or undefined (none, or ambiguous). */
  unique(kid: string): KeyRecord | undefined {
    const records = this.byKid.get(kid);
    return records?.length === 1 ? records[0] : undefined;
  }

  update(added: readonly KeyRecord[], removed: readonly KeyRecord[]): void {
    for (const record of removed) {
      const rest = (this.byKid.get(record.kid) ?? []).filter((other) => other !== record);
      if (rest.length > 0) this.byKid.set(record.kid, rest);
      else this.byKid.delete(record.kid);
    }
    for (const record of added) this.byKid.set(record.kid, [...(this.byKid.get(record.kid) ?? []), record]);
  }
}
