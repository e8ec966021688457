import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import type { AccessConfig } from '../config';
import type { Actor } from '../domain/model';

// One key set per team, kept for the isolate's life: jose caches the keys it fetched and
// refetches only for an unknown kid (at most every 30 s) or after 10 minutes.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function keySetFor(certsUrl: string) {
  let keySet = keySets.get(certsUrl);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(certsUrl));
    keySets.set(certsUrl, keySet);
  }
  return keySet;
}

/**
 * Verifies a `Cf-Access-Jwt-Assertion` (signature against the team's published keys, issuer,
 * audience, expiry) and returns who it names: the user's email, or the service token's
 * common name. Null for anything that does not verify.
 */
export async function verifyAccessAssertion(
  assertion: string,
  access: AccessConfig,
): Promise<Actor | null> {
  try {
    const { payload } = await jwtVerify(assertion, keySetFor(access.certsUrl), {
      issuer: access.issuer,
      audience: access.audience,
      algorithms: ['RS256'],
      requiredClaims: ['exp', 'iat'],
    });
    if (typeof payload.email === 'string' && payload.email) return { id: payload.email };
    if (typeof payload.common_name === 'string' && payload.common_name) {
      return { id: `service-token:${payload.common_name}` };
    }
    return null;
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) return null;
    throw error;
  }
}
