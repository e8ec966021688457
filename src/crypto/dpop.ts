import {
  calculateJwkThumbprint,
  decodeProtectedHeader,
  type JWK,
  errors as joseErrors,
  jwtVerify,
} from 'jose';
import { CLIENT_KEY_ALGORITHMS, importClientKey, isJti, PRIVATE_PARAMETERS } from './client-keys';
import { base64url } from './secrets';

/** RFC 9449: the algorithms a DPoP proof may be signed with (asymmetric only). */
export const DPOP_ALGORITHMS = CLIENT_KEY_ALGORITHMS;

/** A proof's `iat` may be this far from now, either way (clock skew, transit). */
export const DPOP_IAT_WINDOW_SECONDS = 60;

export interface DpopProof {
  /** RFC 7638 thumbprint of the proof's key: what a token is bound to (`cnf.jkt`). */
  jkt: string;
  jti: string;
}

export interface DpopExpectation {
  /** The request's method and URL (without query and fragment). */
  htm: string;
  htu: string;
  now: number;
  /** At a resource: the access token's hash, and the key it is bound to. */
  accessToken?: string;
  jkt?: string;
}

/** `htu` as RFC 9449 §4.3 compares it: scheme, host, port and path; no query, no fragment. */
export function htuOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** `ath`: base64url of the SHA-256 of the access token (RFC 9449 §4.2). */
export async function accessTokenHash(token: string): Promise<string> {
  return base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))),
  );
}

/**
 * Verifies a DPoP proof (RFC 9449 §4.3): `typ` dpop+jwt, an asymmetric `alg` with the public
 * `jwk` in its header, signed by that key, `htm` and `htu` of this request, `iat` within the
 * window, a `jti`; at a resource also `ath` of the presented token and the key the token is
 * bound to. Null for anything else. Whether the jti is new is the caller's (D1) to say.
 */
export async function verifyDpopProof(
  proof: string,
  expected: DpopExpectation,
): Promise<DpopProof | null> {
  try {
    const header = decodeProtectedHeader(proof);
    const jwk = header.jwk as JWK | undefined;
    if (
      header.typ !== 'dpop+jwt' ||
      !jwk ||
      typeof header.alg !== 'string' ||
      !(DPOP_ALGORITHMS as readonly string[]).includes(header.alg) ||
      PRIVATE_PARAMETERS.some((parameter) => parameter in jwk)
    ) {
      return null;
    }
    const key = await importClientKey(jwk, header.alg);
    if (!key) return null;
    const { payload } = await jwtVerify(proof, key, {
      typ: 'dpop+jwt',
      algorithms: [header.alg],
      requiredClaims: ['jti', 'htm', 'htu', 'iat'],
      currentDate: new Date(expected.now * 1000),
    });
    const iat = payload.iat as number;
    if (Math.abs(iat - expected.now) > DPOP_IAT_WINDOW_SECONDS) return null;
    if (payload.htm !== expected.htm || typeof payload.htu !== 'string') return null;
    if (htuOf(payload.htu) !== expected.htu) return null;
    const jti = payload.jti;
    if (!isJti(jti)) return null;
    const jkt = await calculateJwkThumbprint(jwk, 'sha256');
    if (expected.jkt !== undefined && jkt !== expected.jkt) return null;
    if (expected.accessToken !== undefined) {
      if (payload.ath !== (await accessTokenHash(expected.accessToken))) return null;
    }
    return { jkt, jti };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
