import { base64url } from "jose";

const encoder = new TextEncoder();

export const utf8 = (text: string): Uint8Array<ArrayBuffer> => encoder.encode(text) as Uint8Array<ArrayBuffer>;
export const toBase64url = (bytes: Uint8Array): string => base64url.encode(bytes);
export const fromBase64url = (text: string): Uint8Array<ArrayBuffer> => base64url.decode(text) as Uint8Array<ArrayBuffer>;
