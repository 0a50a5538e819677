/**
 * A WebAuthn credential record (WebAuthn Level 3 §4 "Credential Record"):
 * what the relying party keeps of a public key credential after registration.
 */
export interface Passkey {
  id: string;
  tenantId: string;
  userId: string;
  /** Credential ID, base64url (§4 credentialRecord.id). Unique within the tenant. */
  credentialId: string;
  /** COSE_Key public key, base64url (§4 credentialRecord.publicKey). */
  publicKey: string;
  /** Signature counter (§6.1.1 signCount); 0 when the authenticator does not count. */
  counter: number;
  /** AuthenticatorTransport values reported at registration (§5.8.4). */
  transports: string[];
  /** Backup eligibility (BE flag, §6.1): "multiDevice" when set. Fixed for the credential's lifetime. */
  deviceType: "singleDevice" | "multiDevice";
  /** Backup state (BS flag, §6.1); may change between ceremonies. */
  backedUp: boolean;
  /** Authenticator model (AAGUID, §6.5.1) when the authenticator reveals it; null or all zeros otherwise. */
  aaguid: string | null;
  /** A label the user chose, e.g. "MacBook Touch ID". */
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** What a successful authentication ceremony writes back (WebAuthn §7.2 steps 22-24). */
export interface PasskeyUse {
  counter: number;
  backedUp: boolean;
  usedAt: number;
}

export interface PasskeyRepository {
  /** Fails with `conflict` when the credential ID is already registered in the tenant (WebAuthn §7.1 step 26). */
  insert(passkey: Passkey): Promise<void>;
  getByCredentialId(tenantId: string, credentialId: string): Promise<Passkey | null>;
  get(tenantId: string, userId: string, id: string): Promise<Passkey | null>;
  /** Oldest first. */
  listForUser(tenantId: string, userId: string): Promise<Passkey[]>;
  countForUser(tenantId: string, userId: string): Promise<number>;
  /** Null when the user has no passkey with this id. */
  rename(tenantId: string, userId: string, id: string, name: string): Promise<Passkey | null>;
  delete(tenantId: string, userId: string, id: string): Promise<boolean>;
  /**
   * Stores a verified assertion's counter and backup state in one conditional
   * write (WebAuthn §7.2 step 22): it succeeds only when both counters are 0,
   * or the new counter is greater than the stored one at the moment of the
   * write. So of two assertions carrying the same counter (a replay or a
   * cloned authenticator racing the real one) at most one is accepted. False
   * means the counter did not move forward: a possible clone.
   */
  recordUse(tenantId: string, id: string, use: PasskeyUse): Promise<boolean>;
}
