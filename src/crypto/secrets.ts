/** Client secrets, client IDs and the admin token: random, hashed, compared in constant time. */

const SECRET_BYTES = 32; // 256 bits
const CLIENT_ID_BYTES = 16; // 128 bits: unguessable is not required, unique is

const encoder = new TextEncoder();

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(byteLength: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

export const newClientSecret = () => randomToken(SECRET_BYTES);
export const newClientId = () => randomToken(CLIENT_ID_BYTES);
export const newTokenId = () => randomToken(16);

async function sha256(value: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', encoder.encode(value)));
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += HEX[byte];
  return hex;
}

export async function sha256Hex(value: string): Promise<string> {
  return toHex(await sha256(value));
}

/**
 * One SHA-256 is right for a 256-bit random secret: nobody can search that space, so a slow
 * KDF would only spend the token endpoint's CPU budget.
 */
export const hashSecret = sha256Hex;

/** Hash of a secret nobody holds: compared against when the client ID is unknown. */
export const UNMATCHABLE_SECRET_HASH = '0'.repeat(64);

/** Compares a presented secret's hash (hashSecret) with a stored hash in constant time. */
export function hashMatches(presentedHashHex: string, storedHashHex: string): boolean {
  const presented = encoder.encode(presentedHashHex);
  const stored = encoder.encode(storedHashHex);
  if (presented.byteLength !== stored.byteLength) return false;
  return crypto.subtle.timingSafeEqual(presented, stored);
}

/** Constant-time equality of two strings of any length (hashing first equalises lengths). */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([sha256(a), sha256(b)]);
  return crypto.subtle.timingSafeEqual(left, right);
}
