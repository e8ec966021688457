import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  admin,
  call,
  createOperator,
  expectOAuthError,
  formPost,
  ORIGIN,
  randomB64,
  requestToken,
  validationPaths,
} from './helpers';

const TOKEN_ENDPOINT = `${ORIGIN}/oauth2/v1/token`;
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

async function keyPair(alg: 'ES256' | 'EdDSA' | 'RS256' | 'PS256', kid: string) {
  const pair = await generateKeyPair(alg, { extractable: true, modulusLength: 2048 });
  const publicJwk = { ...(await exportJWK(pair.publicKey)), alg, kid };
  return { ...pair, publicJwk, alg, kid };
}
type Key = Awaited<ReturnType<typeof keyPair>>;

async function keyClient(keys: Key[], overrides: Record<string, unknown> = {}) {
  const { operatorID } = await createOperator();
  const response = await admin('POST', '/clients', {
    name: 'Key-based client',
    operatorID,
    tokenEndpointAuthMethod: 'private_key_jwt',
    jwks: { keys: keys.map((key) => key.publicJwk) },
    ...overrides,
  });
  expect(response.status).toBe(201);
  return response.json<{ clientID: string; clientSecret?: string; jwks: { keys: JWK[] } }>();
}

async function assertion(
  clientId: string,
  key: Key,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: clientId,
    sub: clientId,
    aud: TOKEN_ENDPOINT,
    jti: crypto.randomUUID(),
    iat: now,
    exp: now + 120,
    ...claims,
  })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

const tokenWith = (clientAssertion: string, extra: Record<string, string> = {}) =>
  formPost('/oauth2/v1/token', {
    grant_type: 'client_credentials',
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: clientAssertion,
    ...extra,
  });

describe('private_key_jwt clients (RFC 7523)', () => {
  it('registers with public keys and no secret, and gets tokens with signed assertions', async () => {
    const es = await keyPair('ES256', 'es-1');
    const ed = await keyPair('EdDSA', 'ed-1');
    const rsa = await keyPair('PS256', 'ps-1');
    const client = await keyClient([es, ed, rsa]);
    expect(client).not.toHaveProperty('clientSecret');
    expect(client).toMatchObject({ tokenEndpointAuthMethod: 'private_key_jwt' });
    expect(client.jwks.keys.map((key) => key.kid)).toEqual(['es-1', 'ed-1', 'ps-1']);

    for (const key of [es, ed, rsa]) {
      const response = await tokenWith(await assertion(client.clientID, key));
      expect(response.status).toBe(200);
    }
    // The audience may be the issuer itself.
    const toIssuer = await tokenWith(await assertion(client.clientID, es, { aud: ORIGIN }));
    expect(toIssuer.status).toBe(200);
    const { access_token: token } = await toIssuer.json<{ access_token: string }>();

    // Introspection and revocation authenticate the same way.
    const introspection = await formPost('/oauth2/v1/token/introspect', {
      token,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(client.clientID, es),
    });
    expect(await introspection.json()).toMatchObject({ active: true, client_id: client.clientID });
    const revoked = await formPost('/oauth2/v1/revoke', {
      token,
      client_assertion_type: ASSERTION_TYPE,
      client_assertion: await assertion(client.clientID, es),
    });
    expect(revoked.status).toBe(200);
  });

  it('refuses every bad assertion with the same invalid_client, counted as a failure', async () => {
    const key = await keyPair('ES256', 'k1');
    const stranger = await keyPair('ES256', 'k1');
    const ed = await keyPair('EdDSA', 'ed');
    const client = await keyClient([key]);
    const now = Math.floor(Date.now() / 1000);
    const replayed = await assertion(client.clientID, key);
    expect((await tokenWith(replayed)).status).toBe(200);
    const bad = [
      replayed,
      await assertion(client.clientID, stranger),
      await assertion(client.clientID, key, { exp: now - 10 }),
      await assertion(client.clientID, key, { exp: now + 600 }),
      await assertion(client.clientID, key, { aud: 'https://elsewhere.example' }),
      await assertion(client.clientID, key, { iss: 'someone-else' }),
      await assertion(client.clientID, key, { jti: undefined }),
      // A key of another algorithm than the one registered under that kid.
      await assertion(client.clientID, ed, {}, { kid: 'k1' }),
    ];
    const bodies = new Set<string>();
    for (const clientAssertion of bad) {
      const response = await tokenWith(clientAssertion);
      expect(response.status).toBe(401);
      bodies.add(await response.text());
    }
    expect(bodies.size).toBe(1);
    const wrongSecret = await formPost('/oauth2/v1/token', {
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: 'no secret works for a key-based client',
    });
    expect(await wrongSecret.text()).toBe([...bodies][0]);
    const row = await env.DB.prepare('SELECT failures FROM auth_failures WHERE key = ?')
      .bind(`client:${client.clientID}`)
      .first<{ failures: number }>();
    expect(row?.failures).toBe(bad.length + 1);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('refuses private keys, symmetric keys, short RSA keys and a method without keys, with the path', async () => {
    const key = await keyPair('ES256', 'k');
    // jose will not even make a key this weak; WebCrypto will.
    const weak = (await crypto.subtle.generateKey(
      {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: 1024,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const { operatorID } = await createOperator();
    const register = (jwks: unknown, method = 'private_key_jwt') =>
      admin('POST', '/clients', {
        name: 'x',
        operatorID,
        tokenEndpointAuthMethod: method,
        ...(jwks !== undefined && { jwks }),
      });
    const cases: [unknown, string][] = [
      [{ keys: [{ ...(await exportJWK(key.privateKey)), alg: 'ES256' }] }, '.jwks.keys.0.d'],
      [{ keys: [{ kty: 'oct', k: 'c2VjcmV0', alg: 'HS256' }] }, '.jwks.keys.0.k'],
      [{ keys: [{ ...(await exportJWK(weak.publicKey)), alg: 'RS256' }] }, '.jwks.keys.0.n'],
      [undefined, '.jwks'],
    ];
    for (const [jwks, path] of cases) {
      const body = await expectOAuthError(await register(jwks), 400, 'invalid_request');
      expect(validationPaths(body)).toContain(path);
    }
    const withSecretMethod = await register({ keys: [key.publicJwk] }, 'client_secret_basic');
    expect(validationPaths(await withSecretMethod.json())).toEqual(['.jwks']);
  });

  it('switches a secret-based client to keys and back by PATCH', async () => {
    const { operatorID } = await createOperator();
    const registered = await admin('POST', '/clients', { name: 'switching', operatorID });
    const client = await registered.json<{ clientID: string; clientSecret: string }>();
    const key = await keyPair('ES256', 'k');
    const toKeys = await admin('PATCH', `/clients/${client.clientID}`, {
      tokenEndpointAuthMethod: 'private_key_jwt',
      jwks: { keys: [key.publicJwk] },
    });
    expect(toKeys.status).toBe(200);
    expect(await toKeys.json()).not.toHaveProperty('clientSecret');
    expect((await tokenWith(await assertion(client.clientID, key))).status).toBe(200);
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    await expectOAuthError(
      await admin('POST', `/clients/${client.clientID}/secret`),
      400,
      'invalid_request',
    );

    const back = await admin('PATCH', `/clients/${client.clientID}`, {
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
    const { clientSecret } = await back.json<{ clientSecret: string }>();
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const withSecret = await formPost('/oauth2/v1/token', {
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: clientSecret,
    });
    expect(withSecret.status).toBe(200);
    expect((await tokenWith(await assertion(client.clientID, key))).status).toBe(401);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('rolls keys over with no outage: both sets verify while both are registered', async () => {
    const old = await keyPair('ES256', 'old');
    const next = await keyPair('EdDSA', 'next');
    const client = await keyClient([old]);
    const path = `/clients/${client.clientID}`;
    expect(
      (await admin('PATCH', path, { jwks: { keys: [old.publicJwk, next.publicJwk] } })).status,
    ).toBe(200);
    expect((await tokenWith(await assertion(client.clientID, old))).status).toBe(200);
    expect((await tokenWith(await assertion(client.clientID, next))).status).toBe(200);
    expect((await admin('PATCH', path, { jwks: { keys: [next.publicJwk] } })).status).toBe(200);
    expect((await tokenWith(await assertion(client.clientID, old))).status).toBe(401);
    expect((await tokenWith(await assertion(client.clientID, next))).status).toBe(200);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('gives back the quota a refused assertion counted', async () => {
    const key = await keyPair('ES256', 'k');
    const stranger = await keyPair('ES256', 'k');
    const client = await keyClient([key], { tokensPerHour: 2 });
    for (let i = 0; i < 3; i += 1) {
      expect((await tokenWith(await assertion(client.clientID, stranger))).status).toBe(401);
    }
    const first = await tokenWith(await assertion(client.clientID, key));
    expect(first.headers.get('RateLimit-Remaining')).toBe('1');
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('never lets forged assertions spend a client quota, however many arrive at once', async () => {
    const key = await keyPair('ES256', 'k');
    const stranger = await keyPair('ES256', 'k');
    const client = await keyClient([key], { tokensPerHour: 3 });
    const forged = await Promise.all(
      Array.from({ length: 24 }, () => assertion(client.clientID, stranger)),
    );
    const real = await assertion(client.clientID, key);
    // The real request runs among the forged ones, as an attacker would time it.
    const responses = await Promise.all(
      [...forged.slice(0, 12), real, ...forged.slice(12)].map((one) => tokenWith(one)),
    );
    const [answer] = responses.splice(12, 1) as [Response];
    expect(answer.status).toBe(200);
    expect(answer.headers.get('RateLimit-Remaining')).toBe('2');
    expect(responses.every((response) => [401, 429].includes(response.status))).toBe(true);
    // The quota itself still holds for the real client: 3 an hour.
    expect((await tokenWith(await assertion(client.clientID, key))).status).toBe(200);
    expect((await tokenWith(await assertion(client.clientID, key))).status).toBe(200);
    const over = await tokenWith(await assertion(client.clientID, key));
    expect(over.status).toBe(429);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('refuses an assertion whose audience also names another server', async () => {
    const key = await keyPair('ES256', 'k');
    const client = await keyClient([key]);
    for (const aud of [
      [TOKEN_ENDPOINT, 'https://elsewhere.example'],
      ['https://elsewhere.example', ORIGIN],
      [ORIGIN, TOKEN_ENDPOINT],
    ]) {
      await expectOAuthError(
        await tokenWith(await assertion(client.clientID, key, { aud })),
        401,
        'invalid_client',
      );
    }
    const alone = await tokenWith(await assertion(client.clientID, key, { aud: [TOKEN_ENDPOINT] }));
    expect(alone.status).toBe(200);
    await env.DB.prepare('DELETE FROM auth_failures').run();
  });

  it('refuses at registration and PATCH a key nobody can verify with, with its path', async () => {
    const good = await keyPair('RS256', 'good');
    const unusable = [
      { ...good.publicJwk, kid: 'e1', e: 'AQ' },
      {
        kty: 'EC',
        crv: 'P-256',
        alg: 'ES256',
        kid: 'off-curve',
        x: randomB64(32),
        y: randomB64(32),
      },
      { kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: 'short', x: randomB64(16) },
    ];
    const { operatorID } = await createOperator();
    for (const key of unusable) {
      const response = await admin('POST', '/clients', {
        name: 'x',
        operatorID,
        tokenEndpointAuthMethod: 'private_key_jwt',
        jwks: { keys: [good.publicJwk, key] },
      });
      const body = await expectOAuthError(response, 400, 'invalid_request');
      expect(validationPaths(body)).toEqual(['.jwks.keys.1']);
    }
    const client = await keyClient([good]);
    const patched = await admin('PATCH', `/clients/${client.clientID}`, {
      jwks: { keys: [unusable[1]] },
    });
    expect(validationPaths(await patched.json())).toEqual(['.jwks.keys.0']);
    expect((await tokenWith(await assertion(client.clientID, good))).status).toBe(200);
  });

  it('advertises private_key_jwt and its algorithms in the metadata', async () => {
    const metadata = await (await call('/.well-known/oauth-authorization-server')).json();
    expect(metadata).toMatchObject({
      token_endpoint_auth_methods_supported: expect.arrayContaining(['private_key_jwt']),
      token_endpoint_auth_signing_alg_values_supported: ['ES256', 'EdDSA', 'RS256', 'PS256'],
    });
  });
});
