import { type CryptoKey, importJWK, type JWK } from 'jose';
import * as z from '../zod';

export const SIGNING_ALGORITHMS = ['ES256', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

const ecPrivateJwk = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  alg: z.literal('ES256'),
  kid: z.string().check(z.minLength(1), z.maxLength(128)),
  x: z.string().check(z.minLength(1)),
  y: z.string().check(z.minLength(1)),
  d: z.string().check(z.minLength(1)),
});

const okpPrivateJwk = z.object({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  alg: z.literal('EdDSA'),
  kid: z.string().check(z.minLength(1), z.maxLength(128)),
  x: z.string().check(z.minLength(1)),
  d: z.string().check(z.minLength(1)),
});

/** `SIGNING_KEYS`: a JSON array of private JWKs; the first signs, all verify and are published. */
export const signingKeysSchema = z
  .array(z.discriminatedUnion('kty', [ecPrivateJwk, okpPrivateJwk]))
  .check(
    z.minLength(1, 'at least one key is required'),
    z.refine((keys) => new Set(keys.map((k) => k.kid)).size === keys.length, 'kids must be unique'),
  );

type PrivateJwk = z.infer<typeof signingKeysSchema>[number];

export interface VerificationKey {
  alg: SigningAlgorithm;
  key: CryptoKey;
}

export interface SigningKeySet {
  signer: { kid: string; alg: SigningAlgorithm; key: CryptoKey };
  verifiers: Map<string, VerificationKey>;
  /** Public halves only, as served at the JWKS endpoint. */
  publicJwks: JWK[];
}

function publicHalf(jwk: PrivateJwk): JWK {
  const { d: _private, ...rest } = jwk;
  return { ...rest, use: 'sig' };
}

export async function importSigningKeys(jwks: PrivateJwk[]): Promise<SigningKeySet> {
  const verifiers = new Map<string, VerificationKey>();
  const publicJwks = jwks.map(publicHalf);
  for (const jwk of publicJwks) {
    const alg = jwk.alg as SigningAlgorithm;
    verifiers.set(jwk.kid as string, { alg, key: (await importJWK(jwk, alg)) as CryptoKey });
  }
  const first = jwks[0] as PrivateJwk;
  const signer = {
    kid: first.kid,
    alg: first.alg,
    key: (await importJWK(first, first.alg)) as CryptoKey,
  };
  return { signer, verifiers, publicJwks };
}
