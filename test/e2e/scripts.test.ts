import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, inject, it } from 'vitest';
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

it('npm run deploy refuses to deploy without an https ISSUER, and passes it to wrangler', () => {
  const deploy = (issuer: string | undefined, ...args: string[]) =>
    spawnSync(process.execPath, ['scripts/deploy.mjs', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        ISSUER: issuer,
        PATH: `${root}/node_modules/.bin:${process.env.PATH}`,
      },
    });
  for (const issuer of [undefined, '', 'http://api.example.com', 'https://api.example.com/path']) {
    const refused = deploy(issuer);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/set ISSUER/);
  }
  const outdir = mkdtempSync(join(tmpdir(), 'edgecase-deploy-'));
  const dryRun = deploy('https://api.example.com', '--dry-run', '--outdir', outdir);
  expect(dryRun.status).toBe(0);
  expect(dryRun.stdout).toMatch(/env\.ISSUER .*Environment Variable/);
}, 120_000);

it('npm run assertion prints a client assertion the token endpoint takes (for Postman)', async () => {
  const { url, adminToken } = inject('devServer');
  const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
  const privateJwk = {
    ...(await crypto.subtle.exportKey('jwk', pair.privateKey)),
    alg: 'ES256',
    kid: 'postman',
  };
  const { d: _private, ...publicJwk } = privateJwk;
  const registered = await fetch(`${url}/admin/v1/clients`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'postman key client',
      operatorID: 'CityServicesAPI',
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [publicJwk] },
    }),
  });
  const { clientID } = (await registered.json()) as { clientID: string };
  const keyFile = join(mkdtempSync(join(tmpdir(), 'edgecase-key-')), 'key.json');
  writeFileSync(keyFile, JSON.stringify(privateJwk));
  const printed = spawnSync(
    process.execPath,
    ['scripts/client-assertion.mjs', '--client-id', clientID, '--key', keyFile, '--url', url],
    { cwd: root, encoding: 'utf8' },
  );
  expect(printed.status).toBe(0);
  const token = await fetch(`${url}/oauth2/v1/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: printed.stdout.trim(),
    }),
  });
  expect(token.status).toBe(200);
});
