import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../src/domain/model';
import { dx, expectDxError } from './dx-helpers';
import { type ApiCaller, admin, apiCaller, callWithEnv, flowRequestType, unique } from './helpers';
import { recordStorage } from './storage-recorder';

/**
 * Data types with records (DX case model §0, §7), as pega-dx-mcp's data tools call them: the
 * admin defines a type, a client lists it among the data objects, reads its records through its
 * list view, and writes them through its savable data page.
 */

const ALL = [...SCOPES];

let caller: ApiCaller;
let typeId: string;
let segment: string;
beforeAll(async () => {
  segment = unique('Colour').replace(/[^A-Za-z0-9]/g, '');
  typeId = `Cnow-Test-Data-${segment}`;
  const defined = await admin('POST', '/datatypes', {
    ID: typeId,
    name: 'Colour',
    description: 'Paint colours',
    keyField: 'Code',
    fields: [
      { name: 'Code', type: 'string', maxLength: 10 },
      { name: 'Label', type: 'string', required: true, maxLength: 100 },
      { name: 'Stock', type: 'number' },
    ],
  });
  expect(defined.status).toBe(201);
  caller = await apiCaller({ privileges: ALL });
  caseType = flowRequestType('Cnow-DataTest-Work-', 'DT-');
  expect((await admin('POST', '/casetypes', caseType)).status).toBe(201);
});

let caseType: ReturnType<typeof flowRequestType>;

const list = () => `/data_views/D_${segment}List`;
const page = () => `/data/D_${segment}`;

const history = async (key: string) =>
  (
    await env.DB.prepare(
      "SELECT action FROM audit_log WHERE target_type = 'datarecord' AND target_id = ? ORDER BY id",
    )
      .bind(`${typeId}!${key}`)
      .all<{ action: string }>()
  ).results.map((row) => row.action);

describe('DX API v2: data types and their records', () => {
  it('lists the type among the data objects, and the case types by type=case', async () => {
    const all = await dx(caller, 'GET', '/data_objects?type=data');
    expect(all.status).toBe(200);
    const { dataObjects } = await all.json<{ dataObjects: { classID: string }[] }>();
    expect(dataObjects).toContainEqual({
      classID: typeId,
      dataObjectID: segment,
      name: 'Colour',
      description: 'Paint colours',
      defaultListDataView: `D_${segment}List`,
      isDefaultListDataViewQueryable: true,
      links: expect.any(Object),
    });
    const cases = await dx(caller, 'GET', '/data_objects?type=case');
    const caseObjects = (await cases.json<{ dataObjects: { classID: string }[] }>()).dataObjects;
    expect(caseObjects.some((item) => item.classID === typeId)).toBe(false);
    expect(caseObjects.length).toBeGreaterThan(0);
    await expectDxError(await dx(caller, 'GET', '/data_objects?type=other'), 400);
  });

  it('creates, reads, lists, replaces, merges and deletes records, each in the history', async () => {
    const created = await dx(caller, 'POST', page(), {
      data: { Code: 'RED', Label: 'Red', Stock: 3 },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toEqual({ data: { Code: 'RED', Label: 'Red', Stock: 3 } });
    expect(created.headers.get('ETag')).toBe('"1"');
    await expectDxError(
      await dx(caller, 'POST', page(), { data: { Code: 'RED', Label: 'Again' } }),
      409,
    );
    expect(
      (await dx(caller, 'POST', page(), { data: { Code: 'BLUE', Label: 'Blue', Stock: 1 } }))
        .status,
    ).toBe(201);

    const one = await dx(
      caller,
      'GET',
      `${list()}?dataViewParameters=${encodeURIComponent(JSON.stringify({ Code: 'RED' }))}`,
    );
    expect(one.status).toBe(200);
    expect((await one.json<{ data: unknown[] }>()).data).toEqual([
      { Code: 'RED', Label: 'Red', Stock: 3 },
    ]);
    const sorted = await dx(caller, 'POST', list(), {
      query: {
        select: [{ field: 'Code' }, { field: 'Stock' }],
        sortBy: [{ field: 'Stock', type: 'DESC' }],
      },
    });
    expect(sorted.status).toBe(200);
    expect((await sorted.json<{ data: unknown[] }>()).data).toEqual([
      { Code: 'RED', Stock: 3 },
      { Code: 'BLUE', Stock: 1 },
    ]);
    // pageSize alone is the first page, as pega-dx-mcp sends it.
    const first = await dx(caller, 'POST', list(), { paging: { pageSize: 1 } });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ pageNumber: 1, pageSize: 1, hasMoreResults: true });
    const count = await dx(caller, 'POST', `${list()}/count`, {});
    expect((await count.json<{ resultCount: number }>()).resultCount).toBe(2);

    const replaced = await dx(caller, 'PUT', page(), { data: { Code: 'RED', Label: 'Crimson' } });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toEqual({ data: { Code: 'RED', Label: 'Crimson' } });
    const merged = await dx(
      caller,
      'PATCH',
      page(),
      { data: { Code: 'RED', Stock: 9 } },
      { 'If-Match': replaced.headers.get('ETag') as string },
    );
    expect(merged.status).toBe(200);
    expect(await merged.json()).toEqual({ data: { Code: 'RED', Label: 'Crimson', Stock: 9 } });
    const stale = await dx(
      caller,
      'PATCH',
      page(),
      { data: { Code: 'RED', Stock: 1 } },
      { 'If-Match': '"1"' },
    );
    await expectDxError(stale, 409);

    const keys = encodeURIComponent(JSON.stringify({ Code: 'RED' }));
    expect((await dx(caller, 'DELETE', `${page()}?dataViewParameters=${keys}`)).status).toBe(200);
    await expectDxError(await dx(caller, 'DELETE', `${page()}?dataViewParameters=${keys}`), 404);
    await expectDxError(await dx(caller, 'GET', `${list()}?dataViewParameters=${keys}`), 404);
    expect(await history('RED')).toEqual([
      'datarecord.create',
      'datarecord.replace',
      'datarecord.update',
      'datarecord.delete',
    ]);
  });

  it('refuses what the type does not hold, missing keys, unknown pages and case types, and writes nothing', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM data_records').first<{
      n: number;
    }>();
    await expectDxError(await dx(caller, 'POST', page(), { data: { Label: 'No key' } }), 400);
    await expectDxError(
      await dx(caller, 'POST', page(), { data: { Code: 'X', Label: 'x', Shade: 'dark' } }),
      422,
    );
    await expectDxError(await dx(caller, 'POST', page(), { data: { Code: 'X' } }), 422);
    await expectDxError(
      await dx(caller, 'POST', page(), { data: { Code: 'X', Label: 'x', Stock: 'many' } }),
      422,
    );
    await expectDxError(
      await dx(caller, 'PUT', page(), { data: { Code: 'NONE', Label: 'x' } }),
      404,
    );
    await expectDxError(await dx(caller, 'POST', '/data/D_NoSuchPage', { data: { A: 1 } }), 404);
    await expectDxError(
      await dx(caller, 'POST', `/data/D_${caseType.ID.split('-').pop()}`, { data: { A: 1 } }),
      400,
    );
    await expectDxError(
      await dx(
        caller,
        'DELETE',
        `${page()}?dataViewParameters=${encodeURIComponent('{"Other":1}')}`,
      ),
      400,
    );
    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM data_records').first<{
      n: number;
    }>();
    expect(after).toEqual(before);
  });

  it('needs data:write to write and data:read to list, and the type in the access group', async () => {
    const reader = await apiCaller({ privileges: ALL.filter((scope) => scope !== 'data:write') });
    const refused = await dx(reader, 'POST', page(), { data: { Code: 'NO', Label: 'No' } });
    expect(refused.status).toBe(403);
    const blind = await apiCaller({ privileges: ALL.filter((scope) => scope !== 'data:read') });
    expect((await dx(blind, 'POST', list(), {})).status).toBe(403);
    const elsewhere = await apiCaller({
      privileges: ALL,
      caseTypes: ['Cnow-connectnow-Work-CityServicesRequest'],
    });
    await expectDxError(await dx(elsewhere, 'POST', list(), {}), 404);
    await expectDxError(
      await dx(elsewhere, 'POST', page(), { data: { Code: 'NO', Label: 'No' } }),
      404,
    );
    const objects = await dx(elsewhere, 'GET', '/data_objects?type=data');
    const listed = (await objects.json<{ dataObjects: { classID: string }[] }>()).dataObjects;
    expect(listed.some((item) => item.classID === typeId)).toBe(false);
    expect(await history('NO')).toEqual([]);
  });
});

describe('admin API: data types', () => {
  it('reads, replaces under If-Match, and keeps the key field', async () => {
    const id = `Cnow-Test-Data-${unique('Kept').replace(/[^A-Za-z0-9]/g, '')}`;
    const body = {
      ID: id,
      name: 'Kept',
      keyField: 'Code',
      fields: [{ name: 'Code', type: 'string' }],
    };
    expect((await admin('POST', '/datatypes', body)).status).toBe(201);
    expect((await admin('POST', '/datatypes', body)).status).toBe(409);
    const read = await admin('GET', `/datatypes/${id}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      ID: id,
      keyField: 'Code',
      fields: [{ name: 'Code', type: 'string', required: true }],
      listDataView: expect.stringMatching(/^D_.*List$/),
    });
    const etag = read.headers.get('ETag') as string;
    const renamed = await admin(
      'PUT',
      `/datatypes/${id}`,
      { ...body, name: 'Renamed', fields: [...body.fields, { name: 'Note', type: 'string' }] },
      { 'If-Match': etag },
    );
    expect(renamed.status).toBe(200);
    expect(
      (await admin('PUT', `/datatypes/${id}`, { ...body, name: 'Late' }, { 'If-Match': etag }))
        .status,
    ).toBe(412);
    const rekeyed = await admin('PUT', `/datatypes/${id}`, {
      ...body,
      keyField: 'Note',
      fields: [...body.fields, { name: 'Note', type: 'string' }],
    });
    expect(rekeyed.status).toBe(400);
    expect(
      (
        await admin('POST', '/datatypes', {
          ...body,
          ID: `${id}X`,
          keyField: 'Missing',
        })
      ).status,
    ).toBe(400);
    const all = await admin('GET', '/datatypes');
    const types = (await all.json<{ dataTypes: { ID: string; name: string }[] }>()).dataTypes;
    expect(types.find((type) => type.ID === id)?.name).toBe('Renamed');
  });
});

describe('DX API v2: a dropdown of a data type', () => {
  it("draws it from the data page and brings the page's records in the form's answer", async () => {
    const code = `Z${crypto.randomUUID().slice(0, 6)}`;
    expect(
      (await dx(caller, 'POST', page(), { data: { Code: code, Label: 'Zinc', Stock: 1 } })).status,
    ).toBe(201);
    const picked = {
      ...flowRequestType('Cnow-Pick-Work-', 'PK-'),
      fields: [
        {
          name: 'Colour',
          type: 'string',
          dataSource: { dataView: `D_${segment}List`, value: 'Code', text: 'Label' },
        },
      ],
      flow: [
        {
          ID: 'Pick',
          name: 'Pick a colour',
          fields: [{ name: 'Colour', required: true }],
          action: { ID: 'PickColour', name: 'Pick' },
        },
      ],
    };
    expect((await admin('POST', '/casetypes', picked)).status).toBe(201);
    const created = await dx(caller, 'POST', '/cases?viewType=form', { caseTypeID: picked.ID });
    expect(created.status).toBe(201);
    const body = await created.json<{
      data: Record<string, { pxResults?: Record<string, unknown>[] }>;
      uiResources: {
        resources: {
          views: Record<
            string,
            { children: { children: { config: Record<string, unknown> }[] }[] }[]
          >;
          fields: Record<string, { datasource?: unknown }[]>;
        };
      };
    }>();
    const list = body.data[`D_${segment}List`]?.pxResults ?? [];
    expect(list).toContainEqual({ Code: code, Label: 'Zinc', Stock: 1 });
    const [view] = body.uiResources.resources.views.PickColour ?? [];
    expect(view?.children[0]?.children[0]?.config).toMatchObject({
      listType: 'datapage',
      datasource: {
        source: `@DATASOURCE D_${segment}List.pxResults`,
        fields: { key: '@P .Code', text: '@P .Label', value: '@P .Code' },
      },
    });
    expect(body.uiResources.resources.fields.Colour?.[0]?.datasource).toEqual({
      tableType: 'DataPage',
      name: `D_${segment}List`,
      propertyForDisplayText: '@P .Label',
      propertyForValue: '@P .Code',
    });
    // An answer without the form carries no list.
    const plain = await dx(caller, 'POST', '/cases?viewType=none', { caseTypeID: picked.ID });
    expect(Object.keys((await plain.json<{ data: object }>()).data)).toEqual(['caseInfo']);
  });
});

describe('a data type field marked queryable (#27)', () => {
  it('reads the records a filter matches, kept in step by record writes and by the definition', async () => {
    const name = unique('Lamps').replace(/[^A-Za-z0-9]/g, '');
    const id = `Cnow-Test-Data-${name}`;
    const fields = [
      { name: 'Code', type: 'string' },
      { name: 'Street', type: 'string', queryable: true },
      { name: 'Watts', type: 'number', queryable: true },
    ];
    const body = { ID: id, name: 'Lamps', keyField: 'Code', fields };
    expect((await admin('POST', '/datatypes', body)).status).toBe(201);
    // 5,000 records straight into D1: the triggers keep their queryable values.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
       INSERT INTO data_records (data_type_id, key, content, created_by, created_at, updated_by,
         updated_at)
       SELECT ?1, 'L' || i, json_object('Code', 'L' || i, 'Street', 'Street ' || (i % 1000),
         'Watts', (i % 7) * 10), 'seed', '2026-01-01', 'seed', '2026-01-01' FROM n`,
    )
      .bind(id)
      .run();
    const query = async (filterConditions: Record<string, unknown>) => {
      const recorder = recordStorage(env.DB, env.TOKENS);
      const response = await callWithEnv(
        { DB: recorder.DB, TOKENS: recorder.TOKENS },
        `/prweb/api/application/v2/data_views/D_${name}List`,
        {
          method: 'POST',
          headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            query: { select: [{ field: 'Code' }], filter: { filterConditions } },
            paging: { pageNumber: 1, pageSize: 100 },
          }),
        },
      );
      expect(response.status).toBe(200);
      const { data } = await response.json<{ data: { Code: string }[] }>();
      return { codes: data.map((row) => row.Code).sort(), rows: recorder.record.rowsRead };
    };
    const street = (value: string, comparator = 'EQ') => ({
      F1: { lhs: { field: 'Street' }, comparator, rhs: { value } },
    });
    const expected = (keep: (i: number) => boolean) =>
      Array.from({ length: 5000 }, (_, k) => k + 1)
        .filter(keep)
        .map((i) => `L${i}`)
        .sort();

    const exact = await query(street('Street 77'));
    expect(exact.codes).toEqual(expected((i) => i % 1000 === 77));
    expect(exact.rows).toBeLessThan(60);
    const prefix = await query(street('Street 99', 'STARTS_WITH'));
    expect(prefix.codes).toEqual(expected((i) => String(i % 1000).startsWith('99')));
    expect(prefix.rows).toBeLessThan(400);
    const watts = await query({
      F1: { lhs: { field: 'Watts' }, comparator: 'GTE', rhs: { value: 60 } },
      F2: { lhs: { field: 'Street' }, comparator: 'STARTS_WITH', rhs: { value: 'Street 1' } },
    });
    expect(watts.codes).toEqual(
      expected((i) => (i % 7) * 10 >= 60 && String(i % 1000).startsWith('1')),
    );

    // A record written through the API moves its value.
    const moved = await dx(caller, 'PATCH', `/data/D_${name}`, {
      data: { Code: 'L77', Street: 'Elm Row' },
    });
    expect(moved.status).toBe(200);
    expect((await query(street('Elm Row'))).codes).toEqual(['L77']);
    expect((await query(street('Street 77'))).codes).toEqual(
      expected((i) => i % 1000 === 77 && i !== 77),
    );

    // Unmarked, the values go and the list scans its records; marked again, they come back.
    const read = await admin('GET', `/datatypes/${id}`);
    const unmarked = await admin(
      'PUT',
      `/datatypes/${id}`,
      { ...body, fields: fields.map(({ queryable: _, ...field }) => field) },
      { 'If-Match': read.headers.get('ETag') as string },
    );
    expect(unmarked.status).toBe(200);
    const kept = async () =>
      (
        await env.DB.prepare('SELECT COUNT(*) AS n FROM data_record_values WHERE data_type_id = ?')
          .bind(id)
          .first<{ n: number }>()
      )?.n;
    expect(await kept()).toBe(0);
    const scanned = await query(street('Elm Row'));
    expect(scanned.codes).toEqual(['L77']);
    expect(scanned.rows).toBeGreaterThan(5000);
    const again = await admin('PUT', `/datatypes/${id}`, body, {
      'If-Match': unmarked.headers.get('ETag') as string,
    });
    expect(again.status).toBe(200);
    expect(await kept()).toBe(10_000);
    const back = await query(street('Elm Row'));
    expect(back.codes).toEqual(['L77']);
    expect(back.rows).toBeLessThan(60);
  });
});
