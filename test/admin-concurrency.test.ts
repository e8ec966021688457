import { describe, expect, it } from 'vitest';
import {
  admin,
  createOperator,
  expectOAuthError,
  registerClient,
  requestToken,
  unique,
} from './helpers';

describe('concurrent admin changes touch only what they send', () => {
  it('never re-enables a client disabled while other PATCHes of it run', async () => {
    for (let run = 0; run < 5; run += 1) {
      const client = await registerClient();
      const path = `/clients/${client.clientID}`;
      const patches = [
        admin('PATCH', path, { name: 'renamed a' }),
        admin('PATCH', path, { enabled: false }),
        admin('PATCH', path, { description: 'described' }),
        admin('PATCH', path, { accessTokenLifetime: 600 }),
        admin('PATCH', path, { name: 'renamed b' }),
      ];
      expect((await Promise.all(patches)).map((response) => response.status)).toEqual([
        200, 200, 200, 200, 200,
      ]);
      const after = await (await admin('GET', path)).json<Record<string, unknown>>();
      expect(after).toMatchObject({
        enabled: false,
        description: 'described',
        accessTokenLifetime: 600,
      });
      await expectOAuthError(await requestToken(client), 401, 'invalid_client');
    }
  });

  it('never undoes a narrowing of privileges with a concurrent rename', async () => {
    for (let run = 0; run < 5; run += 1) {
      const operator = await createOperator();
      const path = `/operators/${operator.operatorID}`;
      const responses = await Promise.all([
        admin('PATCH', path, { name: 'renamed' }),
        admin('PATCH', path, { accessGroup: { privileges: ['cases:read'] } }),
        admin('PATCH', path, { accessGroup: { caseVisibility: 'all' } }),
        admin('PATCH', path, { name: 'renamed again' }),
      ]);
      expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200]);
      const after = await (await admin('GET', path)).json<{
        accessGroup: Record<string, unknown>;
      }>();
      expect(after.accessGroup).toMatchObject({
        privileges: ['cases:read'],
        caseVisibility: 'all',
        name: 'TEST:APIClients',
      });
    }
  });
});

describe('ETag and If-Match on admin resources', () => {
  it('gives every operator, client and case type an ETag that each change moves', async () => {
    const operator = await admin('POST', '/operators', {
      operatorID: unique('Versioned'),
      name: 'Versioned',
      accessGroup: {
        name: 'G',
        privileges: ['cases:read'],
        caseTypes: ['*'],
        caseVisibility: 'own',
      },
    });
    expect(operator.headers.get('ETag')).toBe('"1"');
    const { operatorID } = await operator.json<{ operatorID: string }>();
    expect((await admin('GET', `/operators/${operatorID}`)).headers.get('ETag')).toBe('"1"');
    const patched = await admin('PATCH', `/operators/${operatorID}`, { name: 'Again' });
    expect(patched.headers.get('ETag')).toBe('"2"');

    const registered = await admin('POST', '/clients', { name: 'Versioned', operatorID });
    expect(registered.headers.get('ETag')).toBe('"1"');
    const { clientID } = await registered.json<{ clientID: string }>();
    const regenerated = await admin('POST', `/clients/${clientID}/secret`);
    expect(regenerated.headers.get('ETag')).toBe('"2"');
    expect((await admin('GET', `/clients/${clientID}`)).headers.get('ETag')).toBe('"2"');
  });

  it('answers 412 to a PATCH, PUT or DELETE with a stale If-Match, changing nothing', async () => {
    const client = await registerClient();
    const path = `/clients/${client.clientID}`;
    await admin('PATCH', path, { name: 'moved on' });
    const stale = await admin('PATCH', path, { enabled: false }, { 'If-Match': '"1"' });
    await expectOAuthError(stale, 412, 'precondition_failed');
    await expectOAuthError(
      await admin('DELETE', path, undefined, { 'If-Match': '"1"' }),
      412,
      'precondition_failed',
    );
    const current = await admin('GET', path);
    expect(await current.json()).toMatchObject({ enabled: true, name: 'moved on' });
    expect(current.headers.get('ETag')).toBe('"2"');

    // The current tag, strong or weak (as a proxy may have made it), and `*` all apply.
    const applied = await admin('PATCH', path, { name: 'third' }, { 'If-Match': 'W/"2"' });
    expect(applied.status).toBe(200);
    expect(applied.headers.get('ETag')).toBe('"3"');
    expect((await admin('PATCH', path, { name: 'fourth' }, { 'If-Match': '*' })).status).toBe(200);
    expect((await admin('DELETE', path, undefined, { 'If-Match': '"4"' })).status).toBe(204);
    expect((await admin('GET', path)).status).toBe(404);
  });

  it('lets exactly one of two PATCHes with the same If-Match win', async () => {
    const operator = await createOperator();
    const path = `/operators/${operator.operatorID}`;
    const responses = await Promise.all(
      ['one', 'two'].map((name) => admin('PATCH', path, { name }, { 'If-Match': '"1"' })),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 412]);
  });

  it('checks If-Match on PUT of a case type', async () => {
    const ID = `Test-Versioned-Work-${unique('T')}`;
    const body = {
      ID,
      name: 'Versioned',
      idPrefix: 'V-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Start' }],
      fields: [],
    };
    expect((await admin('POST', '/casetypes', body)).headers.get('ETag')).toBe('"1"');
    const put = (ifMatch: string, name: string) =>
      admin('PUT', `/casetypes/${ID}`, { ...body, name }, { 'If-Match': ifMatch });
    const first = await put('"1"', 'Renamed');
    expect(first.status).toBe(200);
    expect(first.headers.get('ETag')).toBe('"2"');
    await expectOAuthError(await put('"1"', 'Lost'), 412, 'precondition_failed');
    expect(await (await admin('GET', `/casetypes/${ID}`)).json()).toMatchObject({
      name: 'Renamed',
    });
  });

  it('answers 404, not 412, for a resource that does not exist', async () => {
    const missing = await admin('PATCH', '/clients/nope', { name: 'x' }, { 'If-Match': '"1"' });
    await expectOAuthError(missing, 404, 'not_found');
    await expectOAuthError(
      await admin('DELETE', '/operators/nope', undefined, { 'If-Match': '"1"' }),
      404,
      'not_found',
    );
  });
});
