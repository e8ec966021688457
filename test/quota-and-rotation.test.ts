import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { TOKEN_CLEANUP_OPERATIONS } from '../src/store/tokens';
import {
  ADMIN_TOKEN,
  admin,
  api,
  callWithEnv,
  createOperator,
  expectOAuthError,
  introspect,
  issueToken,
  registerClient,
  requestToken,
  tokenRecordCount,
} from './helpers';

describe('per-client token quota (tokensPerHour)', () => {
  it('counts down in RateLimit headers, then answers 429 with Retry-After and issues nothing', async () => {
    const client = await registerClient({ tokensPerHour: 3 });
    for (const remaining of [2, 1, 0]) {
      const response = await requestToken(client);
      expect(response.status).toBe(200);
      expect(response.headers.get('RateLimit-Limit')).toBe('3');
      expect(response.headers.get('RateLimit-Remaining')).toBe(String(remaining));
      expect(Number(response.headers.get('RateLimit-Reset'))).toBeLessThanOrEqual(3600);
      expect(response.headers.get('RateLimit-Policy')).toBe('3;w=3600');
    }
    const refused = await requestToken(client);
    await expectOAuthError(refused, 429, 'too_many_requests');
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(refused.headers.get('RateLimit-Remaining')).toBe('0');
    expect(await tokenRecordCount(client.clientID)).toBe(3);
  });

  it('never lets concurrent requests past the quota', async () => {
    const client = await registerClient({ tokensPerHour: 5 });
    const responses = await Promise.all(Array.from({ length: 12 }, () => requestToken(client)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([...Array(5).fill(200), ...Array(7).fill(429)]);
    expect(await tokenRecordCount(client.clientID)).toBe(5);
  });

  it('starts again in the next hour', async () => {
    const client = await registerClient({ tokensPerHour: 1 });
    expect((await requestToken(client)).status).toBe(200);
    expect((await requestToken(client)).status).toBe(429);
    await env.DB.prepare(
      'UPDATE token_quota SET window_start = window_start - 3600 WHERE client_id = ?',
    )
      .bind(client.clientID)
      .run();
    expect((await requestToken(client)).status).toBe(200);
  });

  it('gives a new client 1000 tokens an hour unless told otherwise', async () => {
    const client = await registerClient();
    const response = await requestToken(client);
    expect(response.headers.get('RateLimit-Limit')).toBe('1000');
    expect(response.headers.get('RateLimit-Remaining')).toBe('999');
    const view = await (await admin('GET', `/clients/${client.clientID}`)).json();
    expect(view).toMatchObject({ tokensPerHour: 1000 });
  });

  it('sends no quota headers for a client registered without a quota, and PATCH can set or remove one', async () => {
    const client = await registerClient({ tokensPerHour: null });
    const unlimited = await requestToken(client);
    expect(unlimited.headers.get('RateLimit-Limit')).toBeNull();

    const patched = await admin('PATCH', `/clients/${client.clientID}`, { tokensPerHour: 1 });
    expect(await patched.json()).toMatchObject({ tokensPerHour: 1 });
    expect((await requestToken(client)).status).toBe(200);
    expect((await requestToken(client)).status).toBe(429);

    const removed = await admin('PATCH', `/clients/${client.clientID}`, { tokensPerHour: null });
    expect(await removed.json()).toMatchObject({ tokensPerHour: null });
    expect((await requestToken(client)).status).toBe(200);
  });

  it('refuses a quota that is not a positive whole number', async () => {
    const { operatorID } = await createOperator();
    expect(
      (await admin('POST', '/clients', { name: 'x', operatorID, tokensPerHour: 10 })).status,
    ).toBe(201);
    for (const tokensPerHour of [0, -1, 1.5, '10']) {
      await expectOAuthError(
        await admin('POST', '/clients', { name: 'x', operatorID, tokensPerHour }),
        400,
        'invalid_request',
      );
    }
  });
});

describe('secret rotation with grace', () => {
  it('keeps the previous secret valid for graceSeconds and leaves live tokens alone', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await admin('POST', `/clients/${client.clientID}/secret`, {
      graceSeconds: 3600,
    });
    expect(response.status).toBe(200);
    const rotated = await response.json<{
      clientSecret: string;
      previousSecretValidUntil: string;
    }>();
    const until = Date.parse(rotated.previousSecretValidUntil);
    expect(until).toBeGreaterThan(Date.now() + 3590_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3600_000);

    expect((await requestToken(client)).status).toBe(200);
    expect((await requestToken({ ...client, clientSecret: rotated.clientSecret })).status).toBe(
      200,
    );
    expect(await introspect(client, token)).toMatchObject({ active: true });

    const shown = await (await admin('GET', `/clients/${client.clientID}`)).json();
    expect(shown).toMatchObject({ previousSecretValidUntil: rotated.previousSecretValidUntil });
    expect(JSON.stringify(shown)).not.toContain(rotated.clientSecret);
  });

  it('stops accepting the previous secret once the grace period ends', async () => {
    const client = await registerClient();
    const { clientSecret } = await (
      await admin('POST', `/clients/${client.clientID}/secret`, { graceSeconds: 60 })
    ).json<{ clientSecret: string }>();
    await env.DB.prepare('UPDATE clients SET previous_secret_expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), client.clientID)
      .run();
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect((await requestToken({ ...client, clientSecret })).status).toBe(200);
    expect(await (await admin('GET', `/clients/${client.clientID}`)).json()).toMatchObject({
      previousSecretValidUntil: null,
    });
  });

  it('without graceSeconds keeps the old behaviour: old secret dead, tokens revoked', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const { clientSecret } = await (
      await admin('POST', `/clients/${client.clientID}/secret`)
    ).json<{
      clientSecret: string;
    }>();
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect(await introspect({ ...client, clientSecret }, token)).toEqual({ active: false });
    const caller = await issueToken({ ...client, clientSecret });
    expect((await api('GET', '/casetypes', caller)).status).toBe(200);
  });

  it('a plain regeneration during grace ends the grace at once', async () => {
    const client = await registerClient();
    await admin('POST', `/clients/${client.clientID}/secret`, { graceSeconds: 3600 });
    await admin('POST', `/clients/${client.clientID}/secret`);
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
  });

  it('refuses a grace over 7 days or below 1 second, changing nothing', async () => {
    const client = await registerClient();
    for (const graceSeconds of [0, 604_801, 'soon']) {
      await expectOAuthError(
        await admin('POST', `/clients/${client.clientID}/secret`, { graceSeconds }),
        400,
        'invalid_request',
      );
    }
    expect((await requestToken(client)).status).toBe(200);
    expect(
      (await admin('POST', `/clients/${client.clientID}/secret`, { graceSeconds: 604_800 })).status,
    ).toBe(200);
  });
});

describe('revoking a client with very many live tokens', () => {
  it('answers at once and deletes their records after the answer, within 500 KV operations', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    // 600 more live records, as if the client had minted that many tokens.
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        env.TOKENS.put(`at:${client.clientID}:bulk${i}`, '{}', { expirationTtl: 3600 }),
      ),
    );
    let operations = 0;
    const counting = new Proxy(env.TOKENS, {
      get(target, property) {
        const value = Reflect.get(target, property);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          operations += 1;
          return value.apply(target, args);
        };
      },
    });
    const response = await callWithEnv(
      { TOKENS: counting },
      `/admin/v1/clients/${client.clientID}/revoke-tokens`,
      { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
    );
    expect(response.status).toBe(200);
    // The token is refused at once, whatever KV still holds (the generation went up).
    expect(await introspect(client, token)).toEqual({ active: false });

    await vi.waitFor(() => expect(operations).toBe(TOKEN_CLEANUP_OPERATIONS));
    const left = await tokenRecordCount(client.clientID);
    // What one cleanup could not reach expires with its TTL; none of it is usable meanwhile.
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThan(601);
  });
});
