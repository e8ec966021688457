import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  admin,
  api,
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

  it('sends no quota headers for a client without a quota, and PATCH can set or remove one', async () => {
    const client = await registerClient();
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
