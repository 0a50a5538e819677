import { type CBORType, encodeCBOR } from "@levischuck/tiny-cbor";

/**
 * A software WebAuthn authenticator plus client for tests: ECDSA P-256 keys
 * from WebCrypto, real attestation objects (fmt "none", WebAuthn Level 3
 * §8.7) and real assertions, so the API verifies exactly what a browser
 * would send. Every field a test may want to get wrong (origin, RP ID,
 * counter, user handle, flags) can be overridden per ceremony.
 */

const encoder = new TextEncoder();
const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text) as Uint8Array<ArrayBuffer>;

export function b64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

const concat = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

const sha256 = async (bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> =>
  new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));

const uint32 = (value: number): Uint8Array => new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);

/** §6.1 authenticator data flags. */
const FLAG = { UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40 } as const;

/** An ASN.1 DER INTEGER of an unsigned big-endian value. */
function derInteger(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start += 1;
  let value = bytes.slice(start);
  if ((value[0] ?? 0) & 0x80) value = concat(new Uint8Array([0]), value);
  return concat(new Uint8Array([0x02, value.length]), value);
}

/** §6.5.5: ES256 signatures are DER-encoded Ecdsa-Sig-Value; WebCrypto produces raw r||s. */
function derSignature(raw: Uint8Array): Uint8Array {
  const body = concat(derInteger(raw.slice(0, 32)), derInteger(raw.slice(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

export interface StoredCredential {
  id: Uint8Array;
  keyPair: CryptoKeyPair;
  rpId: string;
  userHandle: string;
  counter: number;
}

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  type?: string;
  /** Counter to report (default: the next one). */
  counter?: number;
  userHandle?: string | null;
  userVerified?: boolean;
  backupEligible?: boolean;
  /** Use this credential (default: the first one for the RP ID that the options allow). */
  credentialId?: string;
}

export interface AuthenticatorSettings {
  origin: string;
  /** Report counters (true) or always 0 like many passkey providers (false). */
  counts?: boolean;
  backupEligible?: boolean;
  userVerified?: boolean;
}

interface CreationOptions {
  challenge: string;
  rp: { id?: string; name: string };
  user: { id: string; name: string; displayName: string };
}

interface RequestOptions {
  challenge: string;
  rpId?: string;
  allowCredentials?: { id: string }[];
}

export class SoftAuthenticator {
  readonly credentials: StoredCredential[] = [];
  constructor(readonly settings: AuthenticatorSettings) {}

  private flags(overrides: CeremonyOverrides, extra = 0): number {
    const uv = overrides.userVerified ?? this.settings.userVerified ?? true;
    const be = overrides.backupEligible ?? this.settings.backupEligible ?? false;
    return FLAG.UP | (uv ? FLAG.UV : 0) | (be ? FLAG.BE | FLAG.BS : 0) | extra;
  }

  private clientData(type: string, challenge: string, overrides: CeremonyOverrides): string {
    return b64url(utf8(JSON.stringify({ type, challenge, origin: overrides.origin ?? this.settings.origin, crossOrigin: false })));
  }

  /** navigator.credentials.create() + toJSON(): a RegistrationResponseJSON with a "none" attestation. */
  async create(options: CreationOptions, overrides: CeremonyOverrides = {}) {
    const rpId = overrides.rpId ?? options.rp.id ?? new URL(this.settings.origin).hostname;
    const keyPair = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    const jwk = (await crypto.subtle.exportKey("jwk", keyPair.publicKey)) as JsonWebKey;
    const coseKey = encodeCBOR(
      new Map<number, CBORType>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, fromB64url(jwk.x ?? "")],
        [-3, fromB64url(jwk.y ?? "")],
      ]),
    );
    const id = crypto.getRandomValues(new Uint8Array(16));
    const counter = overrides.counter ?? 0;
    const authData = concat(
      await sha256(utf8(rpId)),
      new Uint8Array([this.flags(overrides, FLAG.AT)]),
      uint32(counter),
      new Uint8Array(16), // AAGUID: zeros, as with attestation "none"
      new Uint8Array([0, id.length]),
      id,
      coseKey,
    );
    const attestationObject = encodeCBOR(
      new Map<string, CBORType>([
        ["fmt", "none"],
        ["attStmt", new Map<string, CBORType>()],
        ["authData", authData],
      ]),
    );
    this.credentials.push({ id, keyPair, rpId, userHandle: options.user.id, counter });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: overrides.type ?? "public-key",
      response: {
        clientDataJSON: this.clientData("webauthn.create", options.challenge, overrides),
        attestationObject: b64url(attestationObject),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get() + toJSON(): an AuthenticationResponseJSON signed with the credential's key. */
  async get(options: RequestOptions, overrides: CeremonyOverrides = {}) {
    const credential = this.pick(options, overrides);
    const rpId = overrides.rpId ?? options.rpId ?? credential.rpId;
    const counter = overrides.counter ?? (this.settings.counts === false ? 0 : credential.counter + 1);
    credential.counter = Math.max(credential.counter, counter);
    const authData = concat(await sha256(utf8(rpId)), new Uint8Array([this.flags(overrides)]), uint32(counter));
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, overrides);
    const signed = concat(authData, await sha256(fromB64url(clientDataJSON)));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, credential.keyPair.privateKey, signed));
    const userHandle = overrides.userHandle === undefined ? credential.userHandle : overrides.userHandle;
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON,
        authenticatorData: b64url(authData),
        signature: b64url(derSignature(raw)),
        ...(userHandle === null ? {} : { userHandle }),
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  private pick(options: RequestOptions, overrides: CeremonyOverrides): StoredCredential {
    const allowed = options.allowCredentials?.map((item) => item.id) ?? [];
    const wanted = overrides.credentialId;
    const found = this.credentials.find((credential) => {
      const id = b64url(credential.id);
      if (wanted) return id === wanted;
      return allowed.length > 0 ? allowed.includes(id) : credential.rpId === (options.rpId ?? credential.rpId);
    });
    if (!found) throw new Error("the soft authenticator holds no matching credential");
    return found;
  }
}
