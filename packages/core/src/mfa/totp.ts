import { HOTP, Secret, TOTP } from "otpauth";

/**
 * TOTP as authenticator apps implement it (RFC 6238 §4: HOTP over the Unix
 * time step), on the `otpauth` library. Plinto's defaults are the ones every
 * app supports: HMAC-SHA-1, 6 digits, 30-second steps (RFC 6238 §4.1, §5.2).
 */
export const TOTP_PARAMETERS = { algorithm: "SHA1", digits: 6, period: 30 } as const;

/** Accept the previous, current and next step: one step of clock drift either way (RFC 6238 §5.2, §6). */
export const TOTP_WINDOW = 1;

export interface OtpOptions {
  algorithm?: "SHA1" | "SHA256" | "SHA512";
  digits?: number;
  period?: number;
}

/** A new shared secret: 20 random bytes, the 160 bits RFC 4226 §4 R6 recommends, in base32 (RFC 4648 §6). */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The time step of `timestampMs`: floor((T - T0) / X) with T0 = 0 (RFC 6238 §4.2). */
export function totpStep(timestampMs: number, period: number = TOTP_PARAMETERS.period): number {
  return Math.floor(timestampMs / 1000 / period);
}

/** HOTP value of `counter` (RFC 4226 §5.3: HMAC, dynamic truncation, modulo 10^digits). */
export function hotpCode(secretBase32: string, counter: number, options: OtpOptions = {}): string {
  const { algorithm, digits } = { ...TOTP_PARAMETERS, ...options };
  return HOTP.generate({ secret: Secret.fromBase32(secretBase32), algorithm, digits, counter });
}

/** The TOTP code shown at `timestampMs` (RFC 6238 §4.2: HOTP with the time step as counter). */
export function totpCode(secretBase32: string, timestampMs: number, options: OtpOptions = {}): string {
  return hotpCode(secretBase32, totpStep(timestampMs, options.period), options);
}

/**
 * The time step a code belongs to, when it is the code of the current step or
 * of one step either side (RFC 6238 §5.2); null otherwise. Callers record the
 * step and refuse any step at or below the last one used (replay).
 */
export function matchTotpStep(secretBase32: string, code: string, timestampMs: number, options: OtpOptions = {}): number | null {
  const { algorithm, digits, period } = { ...TOTP_PARAMETERS, ...options };
  if (code.length !== digits || !/^\d+$/.test(code)) return null;
  const current = totpStep(timestampMs, period);
  const delta = HOTP.validate({
    token: code,
    secret: Secret.fromBase32(secretBase32),
    algorithm,
    digits,
    counter: current,
    window: TOTP_WINDOW,
  });
  return delta === null ? null : current + delta;
}

/**
 * The `otpauth://totp/` key URI authenticator apps scan (Google Authenticator
 * Key URI Format): label `Issuer:account`, with the parameters spelled out.
 */
export function totpUri(secretBase32: string, issuer: string, account: string): string {
  const { algorithm, digits, period } = TOTP_PARAMETERS;
  return new TOTP({ issuer, label: account, secret: Secret.fromBase32(secretBase32), algorithm, digits, period }).toString();
}
