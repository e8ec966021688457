import { importJWK, type JWK, errors as joseErrors, jwtVerify } from 'jose';
import * as z from '../zod';

/**
 * A private_key_jwt client's public keys (RFC 7523 §2.2, as profiled by RFC 9700): ES256,
 * EdDSA (Ed25519), RS256 and PS256 with a modulus of at least 2048 bits. Each key names its
 * algorithm, and an assertion must use that one. Never a private key, never a symmetric one.
 */
export const CLIENT_KEY_ALGORITHMS = ['ES256', 'EdDSA', 'RS256', 'PS256'] as const;

/** JWK members only a private or a symmetric key has: never accepted from a client. */
export const PRIVATE_PARAMETERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A `jti` as stored to refuse replays (client assertions, DPoP proofs): at most 256 chars. */
export const MAX_JTI_LENGTH = 256;
export const isJti = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_JTI_LENGTH;

const kid = z.optional(z.string().check(z.minLength(1), z.maxLength(128)));
const b64url = z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'base64url'));

/** Bits in an RSA modulus given as base64url. */
const modulusBits = (n: string) => {
  const bytes = atob(n.replace(/-/g, '+').replace(/_/g, '/'));
  let leading = bytes.charCodeAt(0);
  let bits = bytes.length * 8;
  while (leading > 0 && leading < 0x80) {
    leading <<= 1;
    bits -= 1;
  }
  return leading === 0 ? bits - 8 : bits;
};

const rsaKey = (alg: 'RS256' | 'PS256') =>
  z.object({
    kty: z.literal('RSA'),
    alg: z.literal(alg),
    n: b64url.check(z.refine((n) => modulusBits(n) >= 2048, 'an RSA key needs at least 2048 bits')),
    e: b64url,
    kid,
  });

const publicJwk = z.pipe(
  z.unknown().check(
    z.superRefine((key, context) => {
      if (typeof key !== 'object' || key === null) return;
      for (const parameter of PRIVATE_PARAMETERS) {
        if (parameter in key) {
          context.addIssue({
            code: 'custom',
            path: [parameter],
            message:
              parameter === 'k'
                ? 'a symmetric key is never accepted'
                : 'a private key is never accepted: register the public half only',
          });
        }
      }
    }),
  ),
  z.discriminatedUnion('alg', [
    z.object({
      kty: z.literal('EC'),
      alg: z.literal('ES256'),
      crv: z.literal('P-256'),
      x: b64url,
      y: b64url,
      kid,
    }),
    z.object({
      kty: z.literal('OKP'),
      alg: z.literal('EdDSA'),
      crv: z.literal('Ed25519'),
      x: b64url,
      kid,
    }),
    rsaKey('RS256'),
    rsaKey('PS256'),
  ]),
);

/**
 * A client's public key (a registered one, or a DPoP proof's) as a key to verify with; null
 * when WebCrypto cannot import it (RSA with e=1, an EC point off its curve, a short Ed25519
 * key...). The same import runs at registration, so a key nobody can verify with is refused
 * there, and an unimportable key in a request is a refusal, never a server error.
 */
export async function importClientKey(jwk: JWK, alg: string): Promise<CryptoKey | null> {
  try {
    const key = await importJWK(jwk, alg);
    return key instanceof CryptoKey ? key : null;
  } catch {
    return null;
  }
}

/** `.jwks.keys.N` for each key that cannot be imported: what registration refuses. */
export async function unusableKeys(
  keys: ClientJwk[],
): Promise<{ path: string; message: string }[]> {
  const imported = await Promise.all(keys.map((key) => importClientKey(key, key.alg)));
  return imported.flatMap((key, index) =>
    key
      ? []
      : [
          {
            path: `.jwks.keys.${index}`,
            message: 'This key cannot be used to verify a signature.',
          },
        ],
  );
}

/** `jwks` as an admin registers it: `{"keys": [...]}`, 1 to 10 public keys. */
export const clientJwksSchema = z.strictObject({
  keys: z.array(publicJwk).check(z.minLength(1), z.maxLength(10)),
});

export type ClientJwk = JWK & { alg: (typeof CLIENT_KEY_ALGORITHMS)[number] };

/** RFC 7523 §3: an assertion lives at most this long ahead of now. */
export const MAX_ASSERTION_LIFETIME_SECONDS = 300;

export interface AssertionClaims {
  jti: string;
  exp: number;
}

/**
 * Verifies a client assertion: signed by one of `keys` with that key's algorithm, `iss` and
 * `sub` the client ID, `aud` exactly one of `audiences` (the issuer or the token endpoint, and
 * nothing else beside it), `exp` in
 * the future but at most 5 minutes ahead, and a `jti`. Null for anything else; the caller
 * answers invalid_client whatever the reason, and checks the jti was never used.
 */
export async function verifyClientAssertion(
  assertion: string,
  keys: ClientJwk[],
  expected: { clientId: string; audiences: string[]; now: number },
): Promise<AssertionClaims | null> {
  try {
    const { payload } = await jwtVerify(
      assertion,
      async (header) => {
        const key = keys.find(
          (candidate) =>
            candidate.alg === header.alg &&
            (header.kid === undefined || candidate.kid === header.kid),
        );
        const imported = key && (await importClientKey(key, key.alg));
        if (!imported) throw new joseErrors.JWKSNoMatchingKey();
        return imported;
      },
      {
        issuer: expected.clientId,
        subject: expected.clientId,
        audience: expected.audiences,
        algorithms: [...CLIENT_KEY_ALGORITHMS],
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(expected.now * 1000),
      },
    );
    const exp = payload.exp as number;
    if (exp - expected.now > MAX_ASSERTION_LIFETIME_SECONDS) return null;
    // Audience injection: an assertion that also names another server could be replayed there
    // or here; only the issuer or the token endpoint, alone, is accepted.
    const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (audiences.length !== 1 || !expected.audiences.includes(audiences[0] as string)) return null;
    if (!isJti(payload.jti)) return null;
    return { jti: payload.jti, exp };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError || error instanceof TypeError) return null;
    throw error;
  }
}
