import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  admin,
  countRows,
  createOperator,
  expectOAuthError,
  issueToken,
  ORIGIN,
  registerClient,
  requestToken,
} from './helpers';

const endpoints = {
  token: `${ORIGIN}/oauth2/v1/token`,
  revoke: `${ORIGIN}/oauth2/v1/revoke`,
  introspect: `${ORIGIN}/oauth2/v1/token/introspect`,
  jwks: `${ORIGIN}/oauth2/v1/token/keys`,
  metadata: `${ORIGIN}/.well-known/oauth-authorization-server`,
};

describe('client registration', () => {
  it('answers 201 with generated credentials, defaults and absolute endpoints', async () => {
    const { operatorID } = await createOperator();
    const response = await admin('POST', '/clients', {
      name: 'City services portal',
      description: 'Citizen-facing portal',
      operatorID,
    });
    expect(response.status).toBe(201);
    const body = await response.json<Record<string, unknown>>();
    expect(body).toEqual({
      clientID: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/),
      clientSecret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), // 256 bits, base64url
      name: 'City services portal',
      description: 'Citizen-facing portal',
      operatorID,
      accessTokenLifetime: 3600,
      scopes: ['casetypes:read', 'cases:create', 'cases:read'],
      enabled: true,
      tokensPerHour: 1000,
      secretUpdatedAt: expect.any(String),
      previousSecretValidUntil: null,
      tokenEndpointAuthMethod: 'client_secret_basic',
      dpopBoundAccessTokens: false,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      endpoints,
    });
    expect(response.headers.get('Location')).toBe(`/admin/v1/clients/${body.clientID}`);
  });

  it('never shows the secret again, nor stores it in clear', async () => {
    const client = await registerClient();
    const read = await (await admin('GET', `/clients/${client.clientID}`)).text();
    const list = await (await admin('GET', '/clients?limit=500')).text();
    const audit = await (await admin('GET', '/audit?limit=500')).text();
    for (const text of [read, list, audit]) {
      expect(text).not.toContain(client.clientSecret);
      expect(text).not.toContain('clientSecret');
    }
    const row = await env.DB.prepare('SELECT * FROM clients WHERE id = ?')
      .bind(client.clientID)
      .first();
    expect(JSON.stringify(row)).not.toContain(client.clientSecret);
    expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives every client a distinct ID and secret', async () => {
    const clients = await Promise.all([registerClient(), registerClient(), registerClient()]);
    expect(new Set(clients.map((c) => c.clientID)).size).toBe(3);
    expect(new Set(clients.map((c) => c.clientSecret)).size).toBe(3);
  });

  it('refuses an unknown operator, writing nothing', async () => {
    const before = await countRows('clients');
    const response = await admin('POST', '/clients', { name: 'x', operatorID: 'NoSuchOperator' });
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(JSON.stringify(body)).toContain('.operatorID');
    expect(await countRows('clients')).toBe(before);
  });

  it("refuses scopes beyond the operator's privileges", async () => {
    const { operatorID } = await createOperator();
    const before = await countRows('clients');
    const response = await admin('POST', '/clients', {
      name: 'x',
      operatorID,
      scopes: ['cases:update'],
    });
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await countRows('clients')).toBe(before);
  });

  it('refuses a lifetime outside 60..86400 seconds', async () => {
    const { operatorID } = await createOperator();
    const before = await countRows('clients');
    for (const accessTokenLifetime of [59, 86_401, 1.5, '3600']) {
      const response = await admin('POST', '/clients', {
        name: 'x',
        operatorID,
        accessTokenLifetime,
      });
      await expectOAuthError(response, 400, 'invalid_request');
    }
    expect(await countRows('clients')).toBe(before);
  });
});

describe('client management', () => {
  it('lists clients in pages without secrets', async () => {
    await Promise.all([registerClient(), registerClient(), registerClient()]);
    const page = await (await admin('GET', '/clients?limit=2')).json<{
      clients: unknown[];
      nextCursor?: string;
    }>();
    expect(page.clients).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('patches name, description, lifetime and scopes', async () => {
    const client = await registerClient();
    const response = await admin('PATCH', `/clients/${client.clientID}`, {
      name: 'Renamed',
      description: 'Now with a description',
      accessTokenLifetime: 600,
      scopes: ['cases:read'],
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: 'Renamed',
      description: 'Now with a description',
      accessTokenLifetime: 600,
      scopes: ['cases:read'],
    });
    expect(await (await requestToken(client)).json()).toMatchObject({
      expires_in: 600,
      scope: 'cases:read',
    });
  });

  it('refuses unknown patch fields and leaves the client unchanged', async () => {
    const client = await registerClient();
    const response = await admin('PATCH', `/clients/${client.clientID}`, {
      operatorID: 'Someone',
      name: 'x',
    });
    await expectOAuthError(response, 400, 'invalid_request');
    expect(await (await admin('GET', `/clients/${client.clientID}`)).json()).toMatchObject({
      name: 'Test client',
    });
  });

  it('answers 404 for every action on an unknown client', async () => {
    for (const [method, path] of [
      ['GET', '/clients/nope'],
      ['DELETE', '/clients/nope'],
      ['POST', '/clients/nope/secret'],
      ['POST', '/clients/nope/revoke-tokens'],
    ] as const) {
      await expectOAuthError(await admin(method, path), 404, 'not_found');
    }
    await expectOAuthError(await admin('PATCH', '/clients/nope', { name: 'x' }), 404, 'not_found');
  });

  it('regenerates the secret: shown once, old one dead', async () => {
    const client = await registerClient();
    const response = await admin('POST', `/clients/${client.clientID}/secret`);
    expect(response.status).toBe(200);
    const body = await response.json<{ clientSecret: string; clientID: string }>();
    expect(body.clientID).toBe(client.clientID);
    expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    expect(await issueToken({ ...client, clientSecret: body.clientSecret })).toEqual(
      expect.any(String),
    );
  });
});

describe('audit log', () => {
  it('records every change, newest first, paged, without secrets', async () => {
    const { operatorID } = await createOperator();
    const client = await registerClient({ operatorID });
    await admin('PATCH', `/clients/${client.clientID}`, { enabled: false });
    await admin('POST', `/clients/${client.clientID}/secret`);
    await admin('POST', `/clients/${client.clientID}/revoke-tokens`);
    await admin('DELETE', `/clients/${client.clientID}`);

    const response = await admin('GET', '/audit?limit=6');
    expect(response.status).toBe(200);
    const page = await response.json<{ events: Record<string, unknown>[]; nextCursor?: string }>();
    expect(page.events.map((event) => event.action)).toEqual([
      'client.delete',
      'client.tokens.revoke',
      'client.secret.regenerate',
      'client.update',
      'client.create',
      'operator.create',
    ]);
    expect(page.events[0]).toEqual({
      id: expect.any(Number),
      at: expect.any(String),
      actor: 'admin',
      action: 'client.delete',
      targetType: 'client',
      targetId: client.clientID,
      detail: {},
    });
    expect(page.events[3]?.detail).toEqual({ enabled: false });

    const next = await admin('GET', `/audit?limit=1&cursor=${page.nextCursor}`);
    const older = await next.json<{ events: { id: number }[] }>();
    expect(older.events[0]?.id).toBeLessThan(page.events[5]?.id as number);
    expect(JSON.stringify(page)).not.toContain(client.clientSecret);
  });

  it('writes nothing for a refused change', async () => {
    const before = await countRows('audit_log');
    await admin('POST', '/clients', { name: 'x', operatorID: 'NoSuchOperator' });
    await admin('DELETE', '/clients/nope');
    await admin('PATCH', '/operators/nope', { name: 'x' });
    expect(await countRows('audit_log')).toBe(before);
  });
});

describe('searching', () => {
  it('keeps LIKE patterns within D1 limit of 50 bytes, escaping wildcards', async () => {
    const { containing } = await import('../src/store/like');
    expect(containing('50%_off')).toBe('%50\\%\\_off%');
    const long = containing('é'.repeat(100));
    expect(new TextEncoder().encode(long).byteLength).toBeLessThanOrEqual(50);
    expect(long.startsWith('%é')).toBe(true);
  });
});
