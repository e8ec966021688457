import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { type AccessTokenClaims, verified, verifyAccessToken } from '../src/crypto/jwt';
import { importSigningKeys, type SigningKeySet, signingKeysSchema } from '../src/crypto/keys';
import { AUDIENCE, ORIGIN } from './helpers';
import { mintToken } from './tokens';

const expected = { issuer: ORIGIN, audience: AUDIENCE };
const keySet = (...kids: string[]): Promise<SigningKeySet> => {
  const all = signingKeysSchema.parse(JSON.parse(env.SIGNING_KEYS as string));
  return importSigningKeys(all.filter((key) => kids.includes(key.kid)));
};

describe('tokens this isolate verified (#28)', () => {
  beforeEach(() => verified.tokens.clear());

  it('recalls a verified token by its exact bytes, and only those', async () => {
    const keys = await keySet('test-key-1');
    const { token } = await mintToken({ clientId: 'c1' });
    const claims = await verifyAccessToken(token, keys, expected);
    expect(claims?.client_id).toBe('c1');
    expect(verified.tokens.has(token)).toBe(true);
    // The same claims object comes back, frozen: no request can change another's.
    const again = await verifyAccessToken(token, keys, expected);
    expect(again).toBe(claims);
    expect(Object.isFrozen(again)).toBe(true);
    // One character of the signature changed is another token: verified, and refused.
    const last = token.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${token.slice(0, -2)}${last}${token.at(-1)}`;
    expect(await verifyAccessToken(tampered, keys, expected)).toBeNull();
    expect(verified.tokens.has(tampered)).toBe(false);
  });

  it('does not recall a token under another issuer, audience or key set', async () => {
    const keys = await keySet('test-key-1');
    const { token } = await mintToken({ clientId: 'c1' });
    expect(await verifyAccessToken(token, keys, expected)).not.toBeNull();
    expect(
      await verifyAccessToken(token, keys, { ...expected, issuer: 'https://other.test' }),
    ).toBeNull();
    expect(
      await verifyAccessToken(token, keys, { ...expected, audience: 'https://other.test/api' }),
    ).toBeNull();
    // The key that signed it retired: the recalled token is refused as jose would refuse it.
    expect(await verifyAccessToken(token, await keySet('test-key-2'), expected)).toBeNull();
    // Listed again in a new set: verified anew under that set.
    expect(await verifyAccessToken(token, await keySet('test-key-1'), expected)).not.toBeNull();
  });

  it('forgets a token at its expiry', async () => {
    const keys = await keySet('test-key-1');
    const { token } = await mintToken({ clientId: 'c1' });
    const claims = (await verifyAccessToken(token, keys, expected)) as AccessTokenClaims;
    // As if its hour had passed: the kept claims say it expired a second ago.
    const now = Math.floor(Date.now() / 1000);
    verified.keep(token, keys, expected, { ...claims, exp: now - 1 });
    expect(verified.recall(token, keys, expected)).toBeUndefined();
    expect(verified.tokens.has(token)).toBe(false);
    // Expiring this second is expired (jose's rule: exp <= now).
    verified.keep(token, keys, expected, { ...claims, exp: now });
    expect(verified.recall(token, keys, expected)).toBeUndefined();
  });

  it('keeps a bounded number, dropping the oldest first', async () => {
    const keys = await keySet('test-key-1');
    const { token } = await mintToken({ clientId: 'c1' });
    const claims = (await verifyAccessToken(token, keys, expected)) as AccessTokenClaims;
    for (let i = 0; i < 1000; i += 1) verified.keep(`t${i}`, keys, expected, claims);
    expect(verified.tokens.size).toBe(1000);
    expect(verified.tokens.has(token)).toBe(false);
    expect(verified.tokens.has('t0')).toBe(true);
    expect(verified.tokens.has('t999')).toBe(true);
  });

  it('keeps nothing of a token that fails', async () => {
    const keys = await keySet('test-key-1');
    const { token } = await mintToken({ clientId: 'c1', foreignKey: true });
    expect(await verifyAccessToken(token, keys, expected)).toBeNull();
    expect(verified.tokens.size).toBe(0);
  });
});
