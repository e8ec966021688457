import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { clientAddressKey } from '../src/http/client-address';
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

const statuses = (responses: Response[]) =>
  responses.reduce<Record<number, number>>((count, response) => {
    count[response.status] = (count[response.status] ?? 0) + 1;
    return count;
  }, {});

describe('brute-force throttling of client authentication', () => {
  it('answers failures past 10 per client ID with 429, and still accepts the right secret', async () => {
    const client = await registerClient();
    const wrong = { ...client, clientSecret: 'guess' };
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await expectOAuthError(await tokenFrom(`198.51.100.${i}`, wrong), 401, 'invalid_client');
    }
    const throttled = await tokenFrom('198.51.100.200', wrong);
    const body = await expectOAuthError(throttled, 429, 'too_many_requests');
    expect(Number(throttled.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(Number(throttled.headers.get('Retry-After'))).toBeLessThanOrEqual(300);
    expect(body.error_description).not.toContain(client.clientID);

    // Whoever knows the client ID (it is every token's `sub`) cannot shut the client out.
    expect((await tokenFrom('198.51.100.201', client)).status).toBe(200);
    expect(await tokenRecordCount(client.clientID)).toBe(1);
    const introspection = await formPost('/oauth2/v1/token/introspect', {
      token: 'x',
      client_id: client.clientID,
      client_secret: client.clientSecret,
    });
    expect(introspection.status).toBe(200);
    // Introspection and revocation count failures too.
    const wrongIntrospection = await formPost('/oauth2/v1/token/introspect', {
      token: 'x',
      client_id: client.clientID,
      client_secret: 'guess',
    });
    await expectOAuthError(wrongIntrospection, 429, 'too_many_requests');

    await letWindowPass();
    await expectOAuthError(await tokenFrom('198.51.100.202', wrong), 401, 'invalid_client');
  });

  it('counts 50 concurrent failures for one ID exactly: 10 answers of 401, 40 of 429', async () => {
    const client = await registerClient();
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        tokenFrom(`198.51.101.${i}`, { ...client, clientSecret: `guess-${i}` }),
      ),
    );
    expect(statuses(responses)).toEqual({ 401: LIMIT_PER_CLIENT, 429: 50 - LIMIT_PER_CLIENT });
    await letWindowPass();
  });

  it('counts concurrent failures from one address exactly, across client IDs', async () => {
    const attacker = '192.0.2.99';
    const responses = await Promise.all(
      Array.from({ length: 90 }, () =>
        tokenFrom(attacker, { clientID: unique('guessed-id-'), clientSecret: 'x' }),
      ),
    );
    expect(statuses(responses)).toEqual({ 401: LIMIT_PER_IP, 429: 90 - LIMIT_PER_IP });
    await letWindowPass();
  });

  it('keeps serving every client behind an address that failed 50 times (a shared NAT)', async () => {
    const client = await registerClient();
    const nat = '192.0.2.66';
    for (let i = 0; i < LIMIT_PER_IP; i += 1) {
      await expectOAuthError(
        await tokenFrom(nat, { clientID: unique('guessed-id-'), clientSecret: 'x' }),
        401,
        'invalid_client',
      );
    }
    await expectOAuthError(
      await tokenFrom(nat, { clientID: unique('guessed-id-'), clientSecret: 'x' }),
      429,
      'too_many_requests',
    );
    expect((await tokenFrom(nat, client)).status).toBe(200);
    await letWindowPass();
  });

  it('counts IPv6 addresses by their /64', async () => {
    const inPrefix = (host: number) => `2001:db8:aa:bb:${host.toString(16)}::1`;
    for (let i = 0; i < LIMIT_PER_IP; i += 1) {
      await tokenFrom(inPrefix(i), { clientID: unique('v6-'), clientSecret: 'x' });
    }
    // Another address of the same /64, written another way: over the limit.
    const sameNet = await tokenFrom('2001:0db8:00aa:00bb:ffff:ffff:ffff:ffff', {
      clientID: unique('v6-'),
      clientSecret: 'x',
    });
    await expectOAuthError(sameNet, 429, 'too_many_requests');
    // The neighbouring /64 is not.
    const neighbour = await tokenFrom('2001:db8:aa:bc::1', {
      clientID: unique('v6-'),
      clientSecret: 'x',
    });
    await expectOAuthError(neighbour, 401, 'invalid_client');
    await letWindowPass();
  });

  it('answers an unknown client ID and a known one alike, also when throttled', async () => {
    const client = await registerClient();
    const unknown = { clientID: unique('nobody-'), clientSecret: 'x' };
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) {
      await tokenFrom(`198.18.0.${i}`, { ...client, clientSecret: 'x' });
      await tokenFrom(`198.18.1.${i}`, unknown);
    }
    const [known, stranger] = [
      await tokenFrom('198.18.2.1', { ...client, clientSecret: 'x' }),
      await tokenFrom('198.18.2.2', unknown),
    ];
    expect(known.status).toBe(429);
    expect(stranger.status).toBe(429);
    expect(await known.text()).toBe(await stranger.text());
    await letWindowPass();
  });

  it('counts a failed Basic authentication like any other', async () => {
    const client = await registerClient();
    const basic = (ip: string) =>
      formPost(
        '/oauth2/v1/token',
        { grant_type: 'client_credentials' },
        { Authorization: basicAuthorization(client.clientID, 'wrong'), 'CF-Connecting-IP': ip },
      );
    for (let i = 0; i < LIMIT_PER_CLIENT; i += 1) await basic(`203.0.113.1${i}`);
    expect((await basic('203.0.113.99')).status).toBe(429);
    expect((await requestToken(client)).status).toBe(200);
    await letWindowPass();
  });

  it('does not count successful authentications', async () => {
    const client = await registerClient();
    for (let i = 0; i < LIMIT_PER_CLIENT + 5; i += 1) {
      expect((await tokenFrom('192.0.2.10', client)).status).toBe(200);
    }
    const row = await env.DB.prepare('SELECT failures FROM auth_failures WHERE key = ?')
      .bind(`client:${client.clientID}`)
      .first();
    expect(row).toBeNull();
  });
});

describe('the address key the throttle counts by', () => {
  it('keeps IPv4, unmaps IPv4-mapped IPv6, cuts IPv6 to its /64 and lumps junk together', () => {
    expect(clientAddressKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddressKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientAddressKey('2001:DB8::1')).toBe('2001:0db8:0000:0000::/64');
    expect(clientAddressKey('[2001:db8:1:2:3:4:5:6]')).toBe('2001:0db8:0001:0002::/64');
    expect(clientAddressKey('::1')).toBe('0000:0000:0000:0000::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0000:0000:0000::/64');
    for (const junk of ['not an address', '1::2::3', '1:2:3:4:5:6:7:8:9', 'gggg::1']) {
      expect(clientAddressKey(junk)).toBe('unparseable');
    }
    expect(clientAddressKey(undefined)).toBeUndefined();
    expect(clientAddressKey('  ')).toBeUndefined();
  });
});
