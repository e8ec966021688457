import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  basicAuthorization,
  expectOAuthError,
  formPost,
  registerClient,
  requestToken,
  tokenRecordCount,
  unique,
} from './helpers';

const LIMIT_PER_CLIENT = 10;
const LIMIT_PER_IP = 50;

function tokenFrom(ip: string, client: { clientID: string; clientSecret: string }) {
  return formPost(
    '/oauth2/v1/token',
    {
      grant_type: 'client_credentials',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    },
    { 'CF-Connecting-IP': ip },
  );
}

/** Ends every throttle window now, as if five minutes had passed. */
async function letWindowPass() {
  await env.DB.prepare('UPDATE auth_failures SET window_start = window_start - 300').run();
}

describe('brute-force throttling of client authentication', () => {
  it('locks a client ID after 10 failures: 429 with Retry-After even for the right secret', async () => {
    const client = await registerClient();
    const wrong = { ...client, clientSecret: 'guess' };
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await expectOAuthError(await tokenFrom(`198.51.100.${i}`, wrong), 401, 'invalid_client');
    }
    const locked = await tokenFrom('198.51.100.200', client);
    const body = await expectOAuthError(locked, 429, 'too_many_requests');
    expect(Number(locked.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(locked.headers.get('Retry-After'))).toBeLessThanOrEqual(300);
    expect(body.error_description).not.toContain(client.clientID);
    expect(await tokenRecordCount(client.clientID)).toBe(0);

    // Introspection and revocation authenticate the client too.
    const introspection = await formPost('/oauth2/v1/token/introspect', {
      token: 'x',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    });
    await expectOAuthError(introspection, 429, 'too_many_requests');

    await letWindowPass();
    expect((await tokenFrom('198.51.100.200', client)).status).toBe(200);
  });

  it('leaves other clients alone while one is locked', async () => {
    const [victim, bystander] = [await registerClient(), await registerClient()];
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await tokenFrom(`203.0.113.${i}`, { ...victim, clientSecret: 'guess' });
    }
    expect((await tokenFrom('203.0.113.250', victim)).status).toBe(429);
    expect((await tokenFrom('203.0.113.250', bystander)).status).toBe(200);
    await letWindowPass();
  });

  it('locks a source address after 50 failures across client IDs, whatever it presents', async () => {
    const client = await registerClient();
    const attacker = '192.0.2.66';
    for (let i = 0; i < LIMIT_PER_IP; i += 1) {
      await expectOAuthError(
        await tokenFrom(attacker, { clientID: unique('guessed-id-'), clientSecret: 'x' }),
        401,
        'invalid_client',
      );
    }
    const locked = await tokenFrom(attacker, client);
    await expectOAuthError(locked, 429, 'too_many_requests');
    expect((await tokenFrom('192.0.2.67', client)).status).toBe(200);
    await letWindowPass();
    expect((await tokenFrom(attacker, client)).status).toBe(200);
  });

  it('answers an unknown client ID and a known one alike, also when locked', async () => {
    const client = await registerClient();
    const unknown = { clientID: unique('nobody-'), clientSecret: 'x' };
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await tokenFrom(`198.18.0.${i}`, { ...client, clientSecret: 'x' });
      await tokenFrom(`198.18.1.${i}`, unknown);
    }
    const [known, stranger] = [
      await tokenFrom('198.18.2.1', client),
      await tokenFrom('198.18.2.2', unknown),
    ];
    expect(known.status).toBe(429);
    expect(stranger.status).toBe(429);
    expect(await known.text()).toBe(await stranger.text());
    await letWindowPass();
  });

  it('counts a failed Basic authentication like any other', async () => {
    const client = await registerClient();
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await formPost(
        '/oauth2/v1/token',
        { grant_type: 'client_credentials' },
        {
          Authorization: basicAuthorization(client.clientID, 'wrong'),
          'CF-Connecting-IP': `203.0.113.1${i}`,
        },
      );
    }
    expect((await requestToken(client)).status).toBe(429);
    await letWindowPass();
  });

  it('does not count successful authentications', async () => {
    const client = await registerClient();
    for (let i = 0; i < LIMIT_PER_CLIENT + 5; i += 1) {
      expect((await tokenFrom('192.0.2.10', client)).status).toBe(200);
    }
  });
});
