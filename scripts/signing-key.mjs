// A fresh ES256 private JWK with a kid, for SIGNING_KEYS (dev vars, tests, `npm run keys:new`).
import { generateKeyPairSync, randomUUID } from 'node:crypto';

export function newSigningJwk(kid = `es256-${randomUUID()}`) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { ...privateKey.export({ format: 'jwk' }), kid, alg: 'ES256' };
}
