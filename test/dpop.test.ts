import { env } from 'cloudflare:workers';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { base64url } from '../src/crypto/secrets';
import {
  apiCaller,
  call,
  callWithEnv,
  defineCaseType,
  introspect,
  ORIGIN,
  randomB64,
  registerClient,
  tokenRequestInit,
} from './helpers';
import { recordStorage } from './storage-recorder';

const TOKEN_URL = `${ORIGIN}/oauth2/v1/token`;
const CASES_URL = `${ORIGIN}/api/v1/cases`;

async function dpopKey() {
  const pair = await generateKeyPair('ES256', { extractable: true });
  return { ...pair, jwk: await exportJWK(pair.publicKey) };
}
type DpopKey = Awaited<ReturnType<typeof dpopKey>>;

const sha256 = async (text: string) =>
  btoa(
    String.fromCharCode(
      ...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))),
    ),
  )
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

async function proof(
  key: DpopKey,
  htm: string,
  htu: string,
  options: { token?: string; claims?: Record<string, unknown> } = {},
) {
  return new SignJWT({
    htm,
    htu,
    iat: Math.floor(Date.now() / 1000),
    jti: crypto.randomUUID(),
    ...(options.token && { ath: await sha256(options.token) }),
    ...options.claims,
  })
    .setProtectedHeader({ typ: 'dpop+jwt', alg: 'ES256', jwk: key.jwk })
    .sign(key.privateKey);
}

async function boundToken(client: { clientID: string; clientSecret: string }, key: DpopKey) {
  const init = tokenRequestInit(client);
  const response = await call('/oauth2/v1/token', {
    ...init,
    headers: {
      ...(init.headers as Record<string, string>),
      DPoP: await proof(key, 'POST', TOKEN_URL),
    },
  });
  expect(response.status).toBe(200);
  return response.json<{ access_token: string; token_type: string }>();
}

const dpopGet = (token: string, dpop?: string, scheme = 'DPoP') =>
  call('/api/v1/cases', {
    headers: { Authorization: `${scheme} ${token}`, ...(dpop !== undefined && { DPoP: dpop }) },
  });

beforeAll(async () => {
  await defineCaseType();
});

describe('DPoP-bound tokens (RFC 9449)', () => {
  it('binds a token to the proof key, and the API takes it with a proof for each request', async () => {
    const caller = await apiCaller();
    const key = await dpopKey();
    const issued = await boundToken(caller, key);
    expect(issued.token_type).toBe('DPoP');
    const { cnf } = decodeJwt(issued.access_token) as { cnf: { jkt: string } };
    expect(cnf.jkt).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await introspect(caller, issued.access_token)).toMatchObject({
      active: true,
      token_type: 'DPoP',
      cnf,
    });
    const ok = await dpopGet(
      issued.access_token,
      await proof(key, 'GET', CASES_URL, { token: issued.access_token }),
    );
    expect(ok.status).toBe(200);
    // The query string is not part of htu.
    const paged = await call('/api/v1/cases?limit=1', {
      headers: {
        Authorization: `DPoP ${issued.access_token}`,
        DPoP: await proof(key, 'GET', CASES_URL, { token: issued.access_token }),
      },
    });
    expect(paged.status).toBe(200);
  });

  it('refuses a bound token without its key: as Bearer, or with a bad, foreign or replayed proof', async () => {
    const caller = await apiCaller();
    const key = await dpopKey();
    const thief = await dpopKey();
    const { access_token: token } = await boundToken(caller, key);
    const replayed = await proof(key, 'GET', CASES_URL, { token });
    expect((await dpopGet(token, replayed)).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const refusals: [string, Response][] = [
      ['invalid_token', await dpopGet(token, undefined, 'Bearer')],
      ['invalid_dpop_proof', await dpopGet(token)],
      ['invalid_dpop_proof', await dpopGet(token, replayed)],
      ['invalid_dpop_proof', await dpopGet(token, await proof(key, 'POST', CASES_URL, { token }))],
      [
        'invalid_dpop_proof',
        await dpopGet(token, await proof(key, 'GET', `${ORIGIN}/api/v1/casetypes`, { token })),
      ],
      [
        'invalid_dpop_proof',
        await dpopGet(
          token,
          await proof(key, 'GET', CASES_URL, { token, claims: { iat: now - 600 } }),
        ),
      ],
      ['invalid_dpop_proof', await dpopGet(token, await proof(thief, 'GET', CASES_URL, { token }))],
      [
        'invalid_dpop_proof',
        await dpopGet(token, await proof(key, 'GET', CASES_URL, { token: 'another token' })),
      ],
    ];
    for (const [code, response] of refusals) {
      expect(response.status, code).toBe(401);
      const challenge = response.headers.get('WWW-Authenticate') ?? '';
      expect(challenge).toMatch(/^DPoP algs="ES256 EdDSA RS256 PS256"/);
      expect(challenge).toContain(`error="${code}"`);
    }
  });

  it('never takes a token that is not bound under the DPoP scheme', async () => {
    const caller = await apiCaller();
    const key = await dpopKey();
    const response = await dpopGet(
      caller.token,
      await proof(key, 'GET', CASES_URL, { token: caller.token }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('refuses bad or replayed proofs at the token endpoint, and a DPoP-only client without one', async () => {
    const client = await registerClient();
    const key = await dpopKey();
    const init = tokenRequestInit(client);
    const withProof = (dpop: string) =>
      call('/oauth2/v1/token', {
        ...init,
        headers: { ...(init.headers as Record<string, string>), DPoP: dpop },
      });
    const used = await proof(key, 'POST', TOKEN_URL);
    expect((await withProof(used)).status).toBe(200);
    for (const dpop of [used, await proof(key, 'GET', TOKEN_URL), 'not a jwt']) {
      const response = await withProof(dpop);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    }
    const strict = await registerClient({ dpopBoundAccessTokens: true });
    const plain = await call('/oauth2/v1/token', tokenRequestInit(strict));
    expect(plain.status).toBe(400);
    expect(await plain.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    expect((await boundToken(strict, key)).token_type).toBe('DPoP');
  });

  it('refuses a proof whose key cannot be imported with 400 invalid_dpop_proof, not a server error', async () => {
    const client = await registerClient();
    const rsa = await exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey);
    const keys: [string, Record<string, unknown>][] = [
      ['RS256', { ...rsa, e: 'AQ' }],
      ['ES256', { kty: 'EC', crv: 'P-256', x: randomB64(32), y: randomB64(32) }],
      ['EdDSA', { kty: 'OKP', crv: 'Ed25519', x: randomB64(16) }],
    ];
    const encode = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));
    const errors = vi.spyOn(console, 'error');
    for (const [alg, jwk] of keys) {
      const header = encode({ typ: 'dpop+jwt', alg, jwk });
      const payload = encode({
        htm: 'POST',
        htu: TOKEN_URL,
        iat: Math.floor(Date.now() / 1000),
        jti: crypto.randomUUID(),
      });
      const init = tokenRequestInit(client);
      const response = await call('/oauth2/v1/token', {
        ...init,
        headers: {
          ...(init.headers as Record<string, string>),
          DPoP: `${header}.${payload}.${randomB64(64)}`,
        },
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_dpop_proof' });
    }
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it('checks a proof at no extra storage level: the jti rides in the D1 batch', async () => {
    const caller = await apiCaller();
    const key = await dpopKey();
    const { access_token: token } = await boundToken(caller, key);
    const recorder = recordStorage(env.DB, env.TOKENS);
    const response = await callWithEnv(
      { DB: recorder.DB, TOKENS: recorder.TOKENS },
      '/api/v1/cases',
      {
        headers: {
          Authorization: `DPoP ${token}`,
          DPoP: await proof(key, 'GET', CASES_URL, { token }),
        },
      },
    );
    expect(response.status).toBe(200);
    expect(recorder.record.levels).toBe(1);
  });
});
