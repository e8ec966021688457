import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  apiCaller,
  callWithEnv,
  casePath,
  countRows,
  createCase,
  defineCaseType,
  registerClient,
  seedCase,
  tokenRequestInit,
} from './helpers';
import { recordStorage } from './storage-recorder';

/**
 * The storage round-trip budget of each route, through the real Worker: what a consumer on
 * another continent from the D1 primary waits for is the number of sequential levels.
 */
function recorded() {
  const recorder = recordStorage(env.DB, env.TOKENS);
  return {
    record: recorder.record,
    call: (path: string, init: RequestInit = {}) =>
      callWithEnv({ DB: recorder.DB, TOKENS: recorder.TOKENS }, path, init),
  };
}

const bearer = (token: string, extra: Record<string, string> = {}) => ({
  Authorization: `Bearer ${token}`,
  ...extra,
});

beforeAll(async () => {
  await defineCaseType();
});

describe('storage levels per route', () => {
  it('issues a token in two levels: one D1 batch (client, throttle, quota), then the KV put', async () => {
    for (const tokensPerHour of [10, null]) {
      const client = await registerClient({ tokensPerHour });
      const { record, call } = recorded();
      const response = await call('/oauth2/v1/token', tokenRequestInit(client));
      expect(response.status).toBe(200);
      expect(record.levels).toBe(2);
      expect(record.calls).toEqual(['D1 batch', 'KV put']);
    }
  });

  it('answers every authenticated read in one level: the KV get beside one D1 batch', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    for (const path of [
      '/casetypes',
      `/casetypes/${seedCase.caseTypeID}`,
      '/cases',
      casePath(created.ID),
      `${casePath(created.ID)}/views/pyCaseInformation`,
      '/assignments',
    ]) {
      const { record, call } = recorded();
      const response = await call(`/api/v1${path}`, { headers: bearer(caller.token) });
      expect(response.status, path).toBe(200);
      expect(record.levels, path).toBe(1);
      expect(record.calls.sort(), path).toEqual(['D1 batch', 'KV get']);
    }
  });

  it('creates and updates a case in two levels', async () => {
    const caller = await apiCaller();
    const create = recorded();
    const response = await create.call('/api/v1/cases', {
      method: 'POST',
      headers: bearer(caller.token, {
        'Content-Type': 'application/json',
        'Idempotency-Key': 'k1',
      }),
      body: JSON.stringify(seedCase),
    });
    expect(response.status).toBe(201);
    expect(create.record.levels).toBe(2);
    const { ID } = await response.json<{ ID: string }>();

    const update = recorded();
    const updated = await update.call(`/api/v1${casePath(ID)}`, {
      method: 'PUT',
      headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { RequestDetail: 'two levels' } }),
    });
    expect(updated.status).toBe(204);
    expect(update.record.levels).toBe(2);
  });
});

/** D1 whose first write batch runs only after the client was disabled: between the levels. */
function disablingBetweenLevels(clientId: string) {
  let disabled = false;
  const db = new Proxy(env.DB, {
    get(target, property) {
      if (property === 'batch') {
        return async (statements: D1PreparedStatement[]) => {
          // The first batch is the read level; the next one is the write.
          if (batches++ === 1 && !disabled) {
            disabled = true;
            await target
              .prepare('UPDATE clients SET enabled = 0 WHERE id = ?')
              .bind(clientId)
              .run();
          }
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  let batches = 0;
  return { db: db as D1Database, wasDisabled: () => disabled };
}

describe('writes hold only while the principal does', () => {
  it('creates nothing, spends no case number, when the client is disabled between the levels', async () => {
    const caller = await apiCaller();
    const before = { cases: await countRows('cases'), counters: await countRows('case_counters') };
    const counter = await env.DB.prepare(
      "SELECT last FROM case_counters WHERE prefix = 'R-'",
    ).first();
    const { db, wasDisabled } = disablingBetweenLevels(caller.clientID);
    const response = await callWithEnv({ DB: db }, '/api/v1/cases', {
      method: 'POST',
      headers: bearer(caller.token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify(seedCase),
    });
    expect(wasDisabled()).toBe(true);
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/invalid_token/);
    expect(await countRows('cases')).toBe(before.cases);
    expect(
      await env.DB.prepare("SELECT last FROM case_counters WHERE prefix = 'R-'").first(),
    ).toEqual(counter);
  });

  it('updates nothing when the client is disabled between the levels', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const { db, wasDisabled } = disablingBetweenLevels(caller.clientID);
    const response = await callWithEnv({ DB: db }, `/api/v1${casePath(created.ID)}`, {
      method: 'PUT',
      headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { RequestDetail: 'never written' } }),
    });
    expect(wasDisabled()).toBe(true);
    expect(response.status).toBe(401);
    const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?')
      .bind(created.ID)
      .first();
    expect(row).toEqual({ version: 1 });
  });
});
