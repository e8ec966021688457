import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { faultyD1, faultyKV } from './faults';
import {
  ADMIN_TOKEN,
  apiCaller,
  callWithEnv,
  createOperator,
  defineCaseType,
  expectOAuthError,
  expectPegaError,
  formInit,
  introspect,
  issueToken,
  registerClient,
  rowCounts,
  seedCase,
  tokenRecordCount,
  tokenRequestInit,
} from './helpers';

const adminInit = (method: string, body?: unknown): RequestInit => ({
  method,
  headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
  ...(body !== undefined && { body: JSON.stringify(body) }),
});
const bearerInit = (token: string, method = 'GET', body?: unknown): RequestInit => ({
  method,
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
  ...(body !== undefined && { body: JSON.stringify(body) }),
});

/** Every row count, and the case counter, that a refused or failed call must leave as it was. */
async function snapshot() {
  const counter = await env.DB.prepare(
    "SELECT last FROM case_counters WHERE prefix = 'R-'",
  ).first();
  return { counts: await rowCounts(), counter };
}

beforeAll(async () => {
  await defineCaseType();
});
// The Worker logs each unexpected failure; that is the point here, not noise to show.
beforeEach(() => {
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('KV failing', () => {
  it('returns no token whose KV record was not written, and gives the quota back', async () => {
    const client = await registerClient({ tokensPerHour: 5 });
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['put']) },
      '/oauth2/v1/token',
      tokenRequestInit(client),
    );
    const body = await expectOAuthError(response, 503, 'server_error');
    expect(JSON.stringify(body)).not.toContain('access_token');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
    const quota = await env.DB.prepare('SELECT issued FROM token_quota WHERE client_id = ?')
      .bind(client.clientID)
      .first();
    expect(quota).toEqual({ issued: 0 });
  });

  it('answers the case API with 503 in Pega format when token records cannot be read', async () => {
    const caller = await apiCaller();
    const before = await snapshot();
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['get']) },
      '/api/v1/cases',
      bearerInit(caller.token, 'POST', seedCase),
    );
    await expectPegaError(response, 503, 'server_error');
    expect(await snapshot()).toEqual(before);
  });

  it('answers introspection with 503 when KV fails, and leaves the token as it was', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['get']) },
      '/oauth2/v1/token/introspect',
      formInit({ token, client_id: client.clientID, client_secret: client.clientSecret }),
    );
    await expectOAuthError(response, 503, 'server_error');
    expect(await introspect(client, token)).toMatchObject({ active: true });
  });

  it('revokes through D1 when KV cannot delete the record: 200, and the token is refused', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['delete']) },
      '/oauth2/v1/revoke',
      formInit({ token, client_id: client.clientID, client_secret: client.clientSecret }),
    );
    expect(response.status).toBe(200);
    expect(await tokenRecordCount(client.clientID)).toBe(1);
    expect(await introspect(client, token)).toEqual({ active: false });
  });

  it('answers a revocation D1 cannot record with 503, and leaves the token as it was', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await callWithEnv(
      { DB: faultyD1(env.DB, { writes: true }) },
      '/oauth2/v1/revoke',
      formInit({ token, client_id: client.clientID, client_secret: client.clientSecret }),
    );
    await expectOAuthError(response, 503, 'server_error');
    expect(await introspect(client, token)).toMatchObject({ active: true });
  });

  it('completes a secret regeneration whose KV cleanup fails: the new secret is returned, old tokens are refused', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['list', 'delete']) },
      `/admin/v1/clients/${client.clientID}/secret`,
      adminInit('POST'),
    );
    expect(response.status).toBe(200);
    const { clientSecret } = await response.json<{ clientSecret: string }>();
    // The KV record is still there, but the raised token generation refuses the token at once.
    expect(await tokenRecordCount(client.clientID)).toBe(1);
    expect(await introspect({ ...client, clientSecret }, token)).toEqual({ active: false });
  });

  it('answers revoke-tokens as done when KV cannot be cleaned, and the tokens are refused all the same', async () => {
    const client = await registerClient();
    const token = await issueToken(client);
    const response = await callWithEnv(
      { TOKENS: faultyKV(env.TOKENS, ['list']) },
      `/admin/v1/clients/${client.clientID}/revoke-tokens`,
      adminInit('POST'),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      clientID: client.clientID,
      revokedAt: expect.any(String),
    });
    expect(await introspect(client, token)).toEqual({ active: false });
  });
});

describe('D1 failing', () => {
  it('answers every kind of endpoint with 503 in its own format and changes nothing', async () => {
    const caller = await apiCaller();
    const before = await snapshot();
    const down = { DB: faultyD1(env.DB, { reads: true, writes: true }) };

    await expectOAuthError(
      await callWithEnv(down, '/oauth2/v1/token', tokenRequestInit(caller)),
      503,
      'server_error',
    );
    await expectOAuthError(
      await callWithEnv(down, '/admin/v1/operators', adminInit('GET')),
      503,
      'server_error',
    );
    await expectPegaError(
      await callWithEnv(down, '/api/v1/cases', bearerInit(caller.token, 'POST', seedCase)),
      503,
      'server_error',
    );
    await expectPegaError(
      await callWithEnv(down, '/api/v1/casetypes', bearerInit(caller.token)),
      503,
      'server_error',
    );
    expect(await snapshot()).toEqual(before);
    expect(await tokenRecordCount(caller.clientID)).toBe(1);
  });

  it('never leaves an audit entry for a change that did not happen', async () => {
    const writesDown = { DB: faultyD1(env.DB, { writes: true }) };
    const operator = await createOperator();
    const beforeChanges = await snapshot();
    for (const [path, method, body] of [
      [
        '/admin/v1/operators',
        'POST',
        {
          operatorID: 'NeverMade',
          name: 'x',
          accessGroup: { name: 'a', privileges: [], caseTypes: [], caseVisibility: 'own' },
        },
      ],
      [`/admin/v1/operators/${operator.operatorID}`, 'PATCH', { name: 'Never renamed' }],
      [`/admin/v1/operators/${operator.operatorID}`, 'DELETE', undefined],
      ['/admin/v1/clients', 'POST', { name: 'x', operatorID: operator.operatorID }],
    ] as const) {
      await expectOAuthError(
        await callWithEnv(writesDown, path, adminInit(method, body)),
        503,
        'server_error',
      );
    }
    expect(await snapshot()).toEqual(beforeChanges);
  });

  it('never advances the case counter without a case', async () => {
    const caller = await apiCaller();
    const before = await snapshot();
    const response = await callWithEnv(
      { DB: faultyD1(env.DB, { writes: true }) },
      '/api/v1/cases',
      bearerInit(caller.token, 'POST', seedCase),
    );
    await expectPegaError(response, 503, 'server_error');
    expect(await snapshot()).toEqual(before);
  });

  it('refuses client authentication with 503 rather than a wrong 401 when D1 cannot be read', async () => {
    const client = await registerClient();
    const response = await callWithEnv(
      { DB: faultyD1(env.DB, { reads: true }) },
      '/oauth2/v1/token',
      tokenRequestInit(client),
    );
    await expectOAuthError(response, 503, 'server_error');
    expect(await tokenRecordCount(client.clientID)).toBe(0);
  });
});
