import { env } from 'cloudflare:workers';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it, vi } from 'vitest';
import { apiCaller, callWithEnv, defineCaseType } from './helpers';

const [keyA, keyB] = JSON.parse(env.SIGNING_KEYS as string) as object[];

const keys = (...list: (object | undefined)[]) => ({ SIGNING_KEYS: JSON.stringify(list) });

describe('signing key rotation: publish, then sign, then retire', () => {
  it('keeps verifying tokens of a key that is still listed, and stops once it is removed', async () => {
    await defineCaseType();
    const caller = await apiCaller();
    const oldToken = caller.token;
    expect(decodeProtectedHeader(oldToken).kid).toBe('test-key-1');
    const bearer = { headers: { Authorization: `Bearer ${oldToken}` } };

    // 1. Publish: B is listed (second) and appears in the JWKS; A still signs.
    const published = await (await callWithEnv(keys(keyA, keyB), '/oauth2/v1/token/keys')).json<{
      keys: { kid: string }[];
    }>();
    expect(published.keys.map((key) => key.kid)).toEqual(['test-key-1', 'test-key-2']);

    // 2. Sign with B: new tokens carry B's kid, tokens of A still verify.
    const signedByB = await callWithEnv(keys(keyB, keyA), '/oauth2/v1/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: caller.clientID,
        client_secret: caller.clientSecret,
      }).toString(),
    });
    const { access_token: newToken } = await signedByB.json<{ access_token: string }>();
    expect(decodeProtectedHeader(newToken).kid).toBe('test-key-2');
    expect((await callWithEnv(keys(keyB, keyA), '/api/v1/casetypes', bearer)).status).toBe(200);

    // 3. Retire A: its tokens stop verifying; B's go on.
    const retired = await callWithEnv(keys(keyB), '/api/v1/casetypes', bearer);
    expect(retired.status).toBe(401);
    expect(retired.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
    const withNew = await callWithEnv(keys(keyB), '/api/v1/casetypes', {
      headers: { Authorization: `Bearer ${newToken}` },
    });
    expect(withNew.status).toBe(200);
  });
});

describe('CORS', () => {
  const corsEnv = { CORS_ALLOWED_ORIGINS: 'https://portal.example.com, https://pega.example.org' };
  const preflight = (origin: string, path = '/api/v1/cases') =>
    callWithEnv(corsEnv, path, {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization, content-type',
      },
    });

  it('answers a preflight from a listed origin', async () => {
    const response = await preflight('https://portal.example.com');
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://portal.example.com');
    expect(response.headers.get('Access-Control-Allow-Methods')).toBe(
      'GET, POST, PUT, PATCH, DELETE',
    );
    expect(response.headers.get('Access-Control-Allow-Headers')).toContain('Authorization');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
    expect(response.headers.get('Vary')).toContain('Origin');
  });

  it("answers DX API v2's preflight: PATCH with If-Match, x-origin-channel and context", async () => {
    const response = await callWithEnv(
      corsEnv,
      '/prweb/api/application/v2/assignments/A/actions/B',
      {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://portal.example.com',
          'Access-Control-Request-Method': 'PATCH',
          'Access-Control-Request-Headers':
            'authorization, content-type, if-match, x-origin-channel, context',
        },
      },
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('PATCH');
    const allowed = (response.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase();
    for (const header of ['if-match', 'x-origin-channel', 'context', 'authorization']) {
      expect(allowed.split(', ')).toContain(header);
    }
    const answer = await callWithEnv(corsEnv, '/prweb/api/application/v2/casetypes', {
      headers: { Origin: 'https://portal.example.com' },
    });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('Access-Control-Expose-Headers')).toMatch(/^ETag, Location/);
  });

  it('gives an unlisted origin no CORS header at all, on preflight or on the call', async () => {
    const response = await preflight('https://evil.example.net');
    expect(response.status).toBe(204);
    for (const [name] of response.headers) expect(name).not.toMatch(/^access-control-/);

    const call = await callWithEnv(corsEnv, '/api/v1/cases', {
      headers: { Origin: 'https://evil.example.net' },
    });
    expect(call.status).toBe(401);
    for (const [name] of call.headers) expect(name).not.toMatch(/^access-control-/);
  });

  it('echoes a listed origin on real answers, errors included, and exposes the useful headers', async () => {
    const response = await callWithEnv(corsEnv, '/api/v1/cases', {
      headers: { Origin: 'https://pega.example.org' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('https://pega.example.org');
    expect(response.headers.get('Access-Control-Expose-Headers')).toContain('WWW-Authenticate');
    expect(response.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('allows no origin by default, and never on the admin API', async () => {
    const byDefault = await callWithEnv({}, '/oauth2/v1/token/keys', {
      headers: { Origin: 'https://portal.example.com' },
    });
    expect(byDefault.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const adminPreflight = await preflight('https://portal.example.com', '/admin/v1/clients');
    expect(adminPreflight.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it('treats a malformed allow-list as empty and says why in the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = await callWithEnv(
      { CORS_ALLOWED_ORIGINS: 'portal.example.com/path' },
      '/oauth2/v1/token/keys',
      {
        headers: { Origin: 'portal.example.com/path' },
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^edgecase config: CORS_ALLOWED_ORIGINS /),
    );
    log.mockRestore();
  });
});
