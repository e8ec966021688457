import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  admin,
  apiCaller,
  call,
  countRows,
  createCase,
  createOperator,
  defineCaseType,
  expectOAuthError,
  registerClient,
  unique,
  validationPaths,
} from './helpers';

const accessGroup = {
  name: 'CNOW:APIClients',
  privileges: ['casetypes:read', 'cases:create', 'cases:read'],
  caseTypes: ['Cnow-connectnow-Work-CityServicesRequest'],
  caseVisibility: 'own',
};

describe('admin authentication', () => {
  it('answers a missing admin token with 401 and a Bearer challenge, changing nothing', async () => {
    const before = await countRows('operators');
    const response = await call('/admin/v1/operators', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operatorID: 'Intruder', name: 'x', accessGroup }),
    });
    await expectOAuthError(response, 401, 'unauthorized');
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer realm="edgecase-admin"');
    expect(await countRows('operators')).toBe(before);
  });

  it('answers a wrong admin token with 401 invalid_token', async () => {
    const response = await call('/admin/v1/operators', {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}x` },
    });
    await expectOAuthError(response, 401, 'invalid_token');
    expect(response.headers.get('WWW-Authenticate')).toContain('error="invalid_token"');
  });

  it('does not accept the admin token under another scheme', async () => {
    const response = await call('/admin/v1/operators', {
      headers: { Authorization: `Basic ${ADMIN_TOKEN}` },
    });
    expect(response.status).toBe(401);
  });
});

describe('operators', () => {
  it('creates an operator and reads it back', async () => {
    const operatorID = unique('CityServicesAPI');
    const response = await admin('POST', '/operators', {
      operatorID,
      name: 'City services API',
      accessGroup,
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('Location')).toBe(`/admin/v1/operators/${operatorID}`);
    const created = await response.json();
    expect(created).toEqual({
      operatorID,
      name: 'City services API',
      accessGroup,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const read = await admin('GET', `/operators/${operatorID}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toEqual(created);
  });

  it('refuses a duplicate operator ID with 409 and writes no audit entry', async () => {
    const { operatorID } = await createOperator();
    const auditBefore = await countRows('audit_log');
    const response = await admin('POST', '/operators', { operatorID, name: 'again', accessGroup });
    await expectOAuthError(response, 409, 'conflict');
    expect(await countRows('audit_log')).toBe(auditBefore);
  });

  it('refuses bad fields with 400 and ValidationMessages, writing nothing', async () => {
    const before = await countRows('operators');
    const response = await admin('POST', '/operators', {
      operatorID: 'has space',
      name: '',
      accessGroup: { ...accessGroup, privileges: ['cases:delete'], caseVisibility: 'everyone' },
      extra: true,
    });
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(validationPaths(body)).toEqual(
      expect.arrayContaining([
        '.operatorID',
        '.name',
        '.accessGroup.privileges.0',
        '.accessGroup.caseVisibility',
      ]),
    );
    expect(await countRows('operators')).toBe(before);
  });

  it('refuses a non-JSON body with 415 and malformed JSON with 400', async () => {
    const wrongType = await call('/admin/v1/operators', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    await expectOAuthError(wrongType, 415, 'invalid_request');
    const malformed = await call('/admin/v1/operators', {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: '{"operatorID":',
    });
    await expectOAuthError(malformed, 400, 'invalid_request');
  });

  it('lists operators in pages', async () => {
    for (let i = 0; i < 3; i += 1) await createOperator();
    const first = await (await admin('GET', '/operators?limit=2')).json<{
      operators: unknown[];
      nextCursor: string;
    }>();
    expect(first.operators).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await (
      await admin('GET', `/operators?limit=2&cursor=${encodeURIComponent(first.nextCursor)}`)
    ).json<{ operators: { operatorID: string }[] }>();
    expect(second.operators.length).toBeGreaterThan(0);
    expect(await admin('GET', '/operators?limit=0')).toHaveProperty('status', 400);
  });

  it('patches the name and part of the access group', async () => {
    const { operatorID } = await createOperator();
    const response = await admin('PATCH', `/operators/${operatorID}`, {
      name: 'Renamed',
      accessGroup: { caseVisibility: 'all' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      name: 'Renamed',
      accessGroup: {
        caseVisibility: 'all',
        privileges: ['casetypes:read', 'cases:create', 'cases:read'],
      },
    });
  });

  it('refuses an empty patch and answers 404 for an unknown operator', async () => {
    const { operatorID } = await createOperator();
    await expectOAuthError(
      await admin('PATCH', `/operators/${operatorID}`, {}),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await admin('PATCH', '/operators/NoSuchOperator', { name: 'x' }),
      404,
      'not_found',
    );
    await expectOAuthError(await admin('GET', '/operators/NoSuchOperator'), 404, 'not_found');
  });

  it('refuses to delete an operator a client still uses (409), then deletes it once free', async () => {
    const { operatorID } = await createOperator();
    const client = await registerClient({ operatorID });
    await expectOAuthError(await admin('DELETE', `/operators/${operatorID}`), 409, 'conflict');
    expect((await admin('GET', `/operators/${operatorID}`)).status).toBe(200);

    expect((await admin('DELETE', `/clients/${client.clientID}`)).status).toBe(204);
    expect((await admin('DELETE', `/operators/${operatorID}`)).status).toBe(204);
    expect((await admin('GET', `/operators/${operatorID}`)).status).toBe(404);
  });

  it('refuses to delete an operator a flow routes to (409), and deletes it once the flow routes elsewhere', async () => {
    const { operatorID } = await createOperator();
    const type = {
      ID: `Cnow-Routes-Work-${unique('Review')}`,
      name: 'Routed',
      idPrefix: 'RT-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Start' }],
      fields: [{ name: 'Note', type: 'string' }],
      flow: [
        {
          ID: 'Review',
          name: 'Review',
          fields: [{ name: 'Note' }],
          action: { ID: 'Approve', name: 'Approve' },
          routeTo: operatorID,
        },
      ],
    };
    expect((await admin('POST', '/casetypes', type)).status).toBe(201);
    const refused = await admin('DELETE', `/operators/${operatorID}`);
    const body = await expectOAuthError(refused, 409, 'conflict');
    expect(body.error_description).toMatch(/flow routes/);
    expect((await admin('GET', `/operators/${operatorID}`)).status).toBe(200);

    const { routeTo: _routed, ...unrouted } = type.flow[0] as (typeof type.flow)[0];
    const replaced = await admin('PUT', `/casetypes/${type.ID}`, { ...type, flow: [unrouted] });
    expect(replaced.status).toBe(200);
    expect((await admin('DELETE', `/operators/${operatorID}`)).status).toBe(204);
    // A flow can no longer name it: the route would go to nobody.
    const dangling = await admin('PUT', `/casetypes/${type.ID}`, type);
    expect(validationPaths(await dangling.json())).toEqual(['.flow.0.routeTo']);
  });

  it('refuses to delete an operator that cases name, so a new operator with its ID inherits none', async () => {
    await defineCaseType();
    const caller = await apiCaller();
    const created = await createCase(caller);
    expect((await admin('DELETE', `/clients/${caller.clientID}`)).status).toBe(204);

    const refused = await admin('DELETE', `/operators/${caller.operatorID}`);
    const body = await expectOAuthError(refused, 409, 'conflict');
    expect(body.error_description).toMatch(/cases/);
    expect((await admin('GET', `/operators/${caller.operatorID}`)).status).toBe(200);

    // The ID stays taken: no other team can take it over, and with it these cases.
    const recreated = await admin('POST', '/operators', {
      operatorID: caller.operatorID,
      name: 'Another team',
      accessGroup: {
        name: 'G',
        privileges: ['cases:read'],
        caseTypes: ['*'],
        caseVisibility: 'own',
      },
    });
    await expectOAuthError(recreated, 409, 'conflict');
    const cases = await env.DB.prepare('SELECT created_by FROM cases WHERE id = ?')
      .bind(created.ID)
      .first<{ created_by: string }>();
    expect(cases?.created_by).toBe(caller.operatorID);
  });
});
