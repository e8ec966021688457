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
 * client's business.
 */
export async function verifyAccessToken(
  token: string,
  keys: SigningKeySet,
  expected: { issuer: string; audience: string },
): Promise<AccessTokenClaims | null> {
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
    return claims.success ? claims.data : null;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}
