import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { signingKeysSchema } from '../../src/crypto/keys';

const root = resolve(import.meta.dirname, '../..');

it('npm run keys:new prints one private JWK that SIGNING_KEYS accepts, new each time', () => {
  const run = () =>
    spawnSync(process.execPath, ['scripts/keys-new.mjs'], { cwd: root, encoding: 'utf8' });
  const [first, second] = [run(), run()];
  expect(first.status).toBe(0);
  const jwk = JSON.parse(first.stdout);
  expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
  expect(signingKeysSchema.safeParse([jwk]).success).toBe(true);
  expect(JSON.parse(second.stdout).kid).not.toBe(jwk.kid);
});
