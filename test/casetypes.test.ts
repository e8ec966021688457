import { describe, expect, it } from 'vitest';
import {
  admin,
  api,
  apiCaller,
  CITY_SERVICES,
  call,
  cityServicesType,
  countRows,
  defineCaseType,
  expectOAuthError,
  expectPegaError,
  unique,
  validationPaths,
} from './helpers';

function caseTypeBody(overrides: Record<string, unknown> = {}) {
  return { ...cityServicesType, ID: `Test-App-Work-${unique('Type')}`, ...overrides };
}

describe('admin: case types', () => {
  it('defines a case type and reads it back', async () => {
    const body = caseTypeBody();
    const response = await admin('POST', '/casetypes', body);
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created).toEqual({
      ...body,
      // Without a flow of its own: one step collecting every field, routed to the creator.
      flow: [
        {
          ID: 'Complete',
          name: 'Complete the case',
          instructions: '',
          fields: [
            { name: 'RequestID', required: true },
            { name: 'RequestDetail', required: true },
          ],
          action: { ID: 'Submit', name: 'Submit' },
        },
      ],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await (await admin('GET', `/casetypes/${body.ID}`)).json()).toEqual(created);
    const list = await (await admin('GET', '/casetypes')).json<{ caseTypes: { ID: string }[] }>();
    expect(list.caseTypes.map((type) => type.ID)).toContain(body.ID);
  });

  it('refuses a duplicate ID with 409', async () => {
    const body = caseTypeBody();
    await admin('POST', '/casetypes', body);
    await expectOAuthError(await admin('POST', '/casetypes', body), 409, 'conflict');
  });

  it('refuses bad definitions with ValidationMessages, writing nothing', async () => {
    const before = await countRows('case_types');
    const response = await admin('POST', '/casetypes', {
      ID: 'no segments',
      name: 'x',
      idPrefix: 'R',
      startingProcesses: [{ ID: 'pyOther', name: 'Other' }],
      fields: [
        { name: 'pyID', type: 'string' },
        { name: 'Count', type: 'number', maxLength: 3 },
        { name: 'When', type: 'datetime' },
      ],
    });
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(validationPaths(body)).toEqual(
      expect.arrayContaining([
        '.ID',
        '.idPrefix',
        '.startingProcesses',
        '.fields.0.name',
        '.fields.1',
        '.fields.2.type',
      ]),
    );
    expect(await countRows('case_types')).toBe(before);
  });

  it('replaces a definition with PUT and audits it', async () => {
    const body = caseTypeBody();
    await admin('POST', '/casetypes', body);
    const { ID, ...rest } = body;
    const response = await admin('PUT', `/casetypes/${ID}`, { ...rest, name: 'Renamed' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ID, name: 'Renamed' });
    const audit = await (await admin('GET', '/audit?limit=2')).json<{
      events: { action: string; targetId: string }[];
    }>();
    expect(audit.events.map((event) => [event.action, event.targetId])).toEqual([
      ['casetype.update', ID],
      ['casetype.create', ID],
    ]);
  });

  it('refuses a PUT whose body names another ID, and a PUT of an unknown type', async () => {
    const body = caseTypeBody();
    await admin('POST', '/casetypes', body);
    await expectOAuthError(
      await admin('PUT', `/casetypes/${body.ID}`, { ...body, ID: 'Other-App-Work-X' }),
      400,
      'invalid_request',
    );
    await expectOAuthError(
      await admin('PUT', '/casetypes/Nope-App-Work-X', caseTypeBody({ ID: undefined })),
      404,
      'not_found',
    );
    await expectOAuthError(await admin('GET', '/casetypes/Nope-App-Work-X'), 404, 'not_found');
  });
});

describe('GET /api/v1/casetypes', () => {
  it("lists the operator's case types in Pega's shape, booleans as strings", async () => {
    await defineCaseType();
    const caller = await apiCaller({ caseTypes: [CITY_SERVICES] });
    const response = await api('GET', '/casetypes', caller.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      pxObjClass: 'Pega-API-CaseManagement',
      caseTypes: [
        {
          ID: CITY_SERVICES,
          name: 'City services request',
          CanCreate: 'true',
          pxObjClass: 'Pega-API-CaseManagement-CaseType',
          startingProcesses: [
            {
              ID: 'pyStartCase',
              name: 'Create request',
              pxObjClass: 'Pega-API-CaseManagement-Process',
              requiresFieldsToCreate: 'true',
            },
          ],
        },
      ],
    });
  });

  it("says CanCreate 'false' to a token without cases:create", async () => {
    await defineCaseType();
    const caller = await apiCaller({ caseTypes: [CITY_SERVICES], privileges: ['casetypes:read'] });
    const body = await (await api('GET', '/casetypes', caller.token)).json<{
      caseTypes: { CanCreate: string }[];
    }>();
    expect(body.caseTypes[0]?.CanCreate).toBe('false');
  });

  it('shows a case type with its fields, and hides one outside the access group', async () => {
    await defineCaseType();
    const other = caseTypeBody();
    await admin('POST', '/casetypes', other);
    const caller = await apiCaller({ caseTypes: [CITY_SERVICES] });

    const response = await api('GET', `/casetypes/${CITY_SERVICES}`, caller.token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      caseTypeID: CITY_SERVICES,
      name: 'City services request',
      fields: cityServicesType.fields,
      creation_page: {
        name: 'New City services request',
        pageID: 'pyCaseCreation',
        groups: [
          {
            layout: expect.objectContaining({
              groupFormat: 'Stacked',
              groups: ['RequestID', 'RequestDetail'].map((reference) => ({
                field: expect.objectContaining({ reference, required: true, value: '' }),
              })),
            }),
          },
        ],
      },
    });
    await expectPegaError(
      await api('GET', `/casetypes/${other.ID}`, caller.token),
      404,
      'Pega_API_008',
    );
    await expectPegaError(
      await api('GET', '/casetypes/Nope-App-Work-X', caller.token),
      404,
      'Pega_API_008',
    );
    const list = await (await api('GET', '/casetypes', caller.token)).json<{
      caseTypes: { ID: string }[];
    }>();
    expect(list.caseTypes.map((type) => type.ID)).toEqual([CITY_SERVICES]);
  });
});

describe('system names (security review 3)', () => {
  it('refuses, at definition, every name a data view or case content emits beside the fields', async () => {
    const defined = caseTypeBody({
      fields: [{ name: 'Note', type: 'string' }],
      startingProcesses: [{ ID: 'pyStartCase', name: 'Create' }],
    });
    expect((await admin('POST', '/casetypes', defined)).status).toBe(201);
    const caller = await apiCaller();
    const created = await api('POST', '/cases', caller.token, {
      caseTypeID: defined.ID,
      content: { Note: 'n' },
    });
    expect(created.status).toBe(201);
    const { ID } = await created.json<{ ID: string }>();
    const v2 = (path: string, method = 'GET') =>
      call(`/api/application/v2${path}`, {
        method,
        headers: { Authorization: `Bearer ${caller.token}` },
      }).then((response) => {
        expect(response.status, path).toBe(200);
        return response.json<Record<string, unknown>>();
      });
    const listView = `D_${defined.ID.split('-').pop()}List`;
    const emitted = new Set<string>();
    const add = (names: Iterable<string>) => {
      for (const name of names) emitted.add(name);
    };
    const v1Case = await (await api('GET', `/cases/${encodeURIComponent(ID)}`, caller.token)).json<{
      content: object;
    }>();
    add(Object.keys(v1Case.content));
    const v2Case = (await v2(`/cases/${encodeURIComponent(ID)}`)) as {
      data: { caseInfo: { content: object } };
    };
    add(Object.keys(v2Case.data.caseInfo.content));
    for (const view of [listView, 'D_pyMyWorkList']) {
      const metadata = (await v2(`/data_views/${view}/metadata`)) as { fields: { name: string }[] };
      add(metadata.fields.map((field) => field.name));
      const rows = (await v2(`/data_views/${view}`, 'POST')) as { data: object[] };
      expect(rows.data.length, view).toBeGreaterThan(0);
      add(rows.data.flatMap((row) => Object.keys(row)));
    }
    emitted.delete('Note');
    // What the issue names, at least, is among what the answers emit.
    expect([...emitted]).toEqual(
      expect.arrayContaining([
        'pzInsKey',
        'pxCreateOperator',
        'pxCreateDateTime',
        'pyLabel',
        'pyViewName',
        'classID',
        'pyID',
        'pyStatusWork',
        'pxUrgencyAssign',
        'pxObjClass',
      ]),
    );
    const before = await countRows('case_types');
    for (const name of emitted) {
      const response = await admin(
        'POST',
        '/casetypes',
        caseTypeBody({ fields: [{ name, type: 'string' }] }),
      );
      const body = await expectOAuthError(response, 400, 'invalid_request');
      expect(validationPaths(body), name).toEqual(['.fields.0.name']);
    }
    expect(await countRows('case_types')).toBe(before);
  });
});
