import { type JWTHeaderParameters, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import * as z from '../zod';
import { SIGNING_ALGORITHMS, type SigningKeySet } from './keys';

/** RFC 9068 §2.1: the media type of a JWT access token. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

export const accessTokenClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  client_id: z.string(),
  aud: z.string(),
  scope: z.string(),
  iat: z.int(),
  exp: z.int(),
  jti: z.string(),
  operator: z.string(),
  /**
   * The client's token generation at issue: a write can then check in its own SQL that the
   * client was not disabled, regenerated or revoked-all since, in the round trip that writes.
   */
  gen: z.optional(z.int()),
  /**
   * What the token is bound to: a DPoP key (RFC 9449 §6, `jkt`: its RFC 7638 thumbprint) or a
   * TLS client certificate (RFC 8705 §3.1, `x5t#S256`).
   */
  cnf: z.optional(z.object({ jkt: z.optional(z.string()), 'x5t#S256': z.optional(z.string()) })),
});

export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

export function signAccessToken(keys: SigningKeySet, claims: AccessTokenClaims): Promise<string> {
  const { kid, alg, key } = keys.signer;
  return new SignJWT(claims).setProtectedHeader({ alg, kid, typ: ACCESS_TOKEN_TYPE }).sign(key);
}

/**
 * RFC 9068 §4 validation: signature by a current key (found by `kid`, with the algorithm that
 * key is registered for, so `alg: none` or a swapped algorithm never verifies), `typ`,
 * issuer, audience and expiry. Returns null for any token that fails; the reason is not a
 * client's business. A token this isolate verified before is not verified again until it
 * expires (`verified`): its claims come back as they were, checked against the clock.
 */
export async function verifyAccessToken(
  token: string,
  keys: SigningKeySet,
  expected: { issuer: string; audience: string },
): Promise<AccessTokenClaims | null> {
  const known = verified.recall(token, keys, expected);
  if (known) return known;
  try {
    const { payload } = await jwtVerify(
      token,
      (header: JWTHeaderParameters) => {
        const verifier = header.kid ? keys.verifiers.get(header.kid) : undefined;
        if (!verifier || verifier.alg !== header.alg) throw new joseErrors.JWKSNoMatchingKey();
        return verifier.key;
      },
      {
        issuer: expected.issuer,
        audience: expected.audience,
        typ: ACCESS_TOKEN_TYPE,
        algorithms: [...SIGNING_ALGORITHMS],
        requiredClaims: ['iat', 'exp', 'jti', 'sub', 'client_id', 'scope'],
      },
    );
    const claims = accessTokenClaimsSchema.safeParse(payload);
    return claims.success ? verified.keep(token, keys, expected, claims.data) : null;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}

/**
 * The access tokens this isolate has verified (#28: ES256 verification was a tenth of a case
 * read's CPU, and a client sends one token for an hour of requests), as an API gateway keeps
 * them (Envoy's jwt_authn `jwt_cache_config`). Keyed by the whole compact token, so only the
 * same bytes, signature included, are recalled; per key set, so a token is recalled only
 * under the keys that verified it; with the issuer and audience it was checked against; and
 * only until its `exp`, read against the clock at each recall as jose does (expired when
 * `exp <= now`). Only what verified is kept: a bad token costs its verification every time.
 * What a token stands for now (its KV record, revocation, its client's standing) is still
 * checked on every request by `authorize`. At most VERIFIED_MAX tokens, the oldest dropped
 * first.
 */
const VERIFIED_MAX = 1000;

interface Verified {
  keys: SigningKeySet;
  issuer: string;
  audience: string;
  claims: AccessTokenClaims;
}

export const verified = {
  tokens: new Map<string, Verified>(),
  recall(
    token: string,
    keys: SigningKeySet,
    expected: { issuer: string; audience: string },
  ): AccessTokenClaims | undefined {
    const entry = this.tokens.get(token);
    if (!entry) return undefined;
    if (entry.claims.exp <= Math.floor(Date.now() / 1000)) {
      this.tokens.delete(token);
      return undefined;
    }
    const same =
      entry.keys === keys &&
      entry.issuer === expected.issuer &&
      entry.audience === expected.audience;
    return same ? entry.claims : undefined;
  },
  keep(
    token: string,
    keys: SigningKeySet,
    expected: { issuer: string; audience: string },
    claims: AccessTokenClaims,
  ): AccessTokenClaims {
    if (this.tokens.size >= VERIFIED_MAX && !this.tokens.has(token)) {
      const oldest = this.tokens.keys().next();
      if (!oldest.done) this.tokens.delete(oldest.value);
    }
    // Frozen: every request that recalls these claims gets the same object.
    const frozen = Object.freeze({
      ...claims,
      ...(claims.cnf && { cnf: Object.freeze({ ...claims.cnf }) }),
    });
    const { issuer, audience } = expected;
    this.tokens.set(token, { keys, issuer, audience, claims: frozen });
    return frozen;
  },
};
