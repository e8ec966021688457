import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ApiCaller, admin, api, apiCaller, call, countRows, unique } from './helpers';

/** Data views with Pega's queries: the worklist and a list per case type, in both APIs. */

const V2 = '/prweb/api/application/v2';
const segment = unique('Pothole');
const typeId = `Cnow-Views-Work-${segment}`;
const viewId = `D_${segment}List`;

const caseType = {
  ID: typeId,
  name: 'Pothole report',
  idPrefix: 'P-',
  startingProcesses: [{ ID: 'pyStartCase', name: 'Report' }],
  fields: [
    { name: 'Street', type: 'string', maxLength: 200 },
    { name: 'Depth', type: 'number' },
    { name: 'Urgent', type: 'boolean' },
    { name: 'Seen', type: 'date' },
    { name: 'Size', type: 'string', enum: ['small', 'large'] },
  ],
};

const reports = [
  { Street: 'Main Street', Depth: 12, Urgent: true, Seen: '2026-01-05', Size: 'large' },
  { Street: 'Mill Lane', Depth: 3, Urgent: false, Seen: '2026-02-01', Size: 'small' },
  { Street: 'main road', Depth: 7, Urgent: true, Seen: '2026-03-10', Size: 'small' },
  { Street: 'Harbour 100%_', Depth: 20, Urgent: false, Size: 'large' },
];

let caller: ApiCaller;
let other: ApiCaller;
const ids: string[] = [];

function view(who: ApiCaller, body?: unknown, path = viewId) {
  return call(`${V2}/data_views/${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${who.token}`,
      ...(body !== undefined && { 'Content-Type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}

interface Rows {
  data: Record<string, unknown>[];
  resultCount?: number;
  pageNumber?: number;
  hasMoreResults: boolean;
  scanLimitReached?: true;
}

async function rows(who: ApiCaller, body?: unknown, path = viewId) {
  const response = await view(who, body, path);
  expect(response.status, JSON.stringify(body)).toBe(200);
  return response.json<Rows>();
}

const streets = (answer: Rows) => answer.data.map((row) => row.Street);
const filter = (conditions: Record<string, unknown>, logic?: string) => ({
  query: { filter: { filterConditions: conditions, ...(logic && { logic }) } },
});
const condition = (field: string, comparator: string, rhs?: unknown) => ({
  lhs: { field },
  comparator,
  ...(rhs !== undefined && { rhs }),
});

beforeAll(async () => {
  expect((await admin('POST', '/casetypes', caseType)).status).toBe(201);
  caller = await apiCaller();
  other = await apiCaller();
  for (const content of reports) {
    const response = await api('POST', '/cases', caller.token, { caseTypeID: typeId, content });
    expect(response.status).toBe(201);
    ids.push((await response.json<{ ID: string }>()).ID);
  }
  // Someone else's: never in the caller's list (visibility "own").
  await api('POST', '/cases', other.token, {
    caseTypeID: typeId,
    content: { Street: 'Elsewhere' },
  });
});

describe('a case type list view', () => {
  it("lists the caller's cases of the type, newest first, with the type's fields", async () => {
    const answer = await rows(caller);
    expect(answer.resultCount).toBe(4);
    expect(answer.hasMoreResults).toBe(false);
    expect(answer.data.map((row) => row.pzInsKey)).toEqual([...ids].reverse());
    expect(answer.data[3]).toMatchObject({
      pzInsKey: ids[0],
      pyID: ids[0]?.split(' ')[1],
      pyLabel: 'Pothole report',
      pyStatusWork: 'New',
      pxCreateOperator: caller.operatorID,
      Street: 'Main Street',
      Depth: 12,
      Urgent: true,
      Seen: '2026-01-05',
      Size: 'large',
    });
    expect(answer.data[0]?.Seen).toBeNull();
  });

  it('filters with every comparator, typed values and logic', async () => {
    const cases: [Record<string, unknown>, string | undefined, string[]][] = [
      [
        { F1: condition('Depth', 'GT', { value: 5 }) },
        undefined,
        ['Harbour 100%_', 'main road', 'Main Street'],
      ],
      [{ F1: condition('Depth', 'LTE', { value: '7' }) }, undefined, ['main road', 'Mill Lane']],
      [{ F1: condition('Urgent', 'EQ', { value: true }) }, undefined, ['main road', 'Main Street']],
      [
        { F1: condition('Street', 'CONTAINS', { value: 'MAIN' }) },
        undefined,
        ['main road', 'Main Street'],
      ],
      [{ F1: condition('Street', 'STARTS_WITH', { value: 'mi' }) }, undefined, ['Mill Lane']],
      [{ F1: condition('Street', 'ENDS_WITH', { value: '%_' }) }, undefined, ['Harbour 100%_']],
      [
        { F1: condition('Size', 'IN', { values: ['small'] }) },
        undefined,
        ['main road', 'Mill Lane'],
      ],
      [{ F1: condition('Seen', 'IS_NULL') }, undefined, ['Harbour 100%_']],
      [
        { F1: condition('Seen', 'GTE', { value: '2026-02-01' }) },
        undefined,
        ['main road', 'Mill Lane'],
      ],
      [
        { F1: condition('Street', 'NEQ', { value: 'Mill Lane' }) },
        undefined,
        ['Harbour 100%_', 'main road', 'Main Street'],
      ],
      [
        {
          F1: condition('Urgent', 'EQ', { value: false }),
          F2: condition('Depth', 'GT', { value: 10 }),
          F3: condition('Size', 'EQ', { value: 'small' }),
        },
        'F2 AND NOT F3 OR F1 AND F3',
        ['Harbour 100%_', 'Mill Lane', 'Main Street'],
      ],
      [
        {
          F1: condition('Urgent', 'EQ', { value: true }),
          F2: condition('Depth', 'LT', { value: 5 }),
          F3: condition('Depth', 'GT', { value: 15 }),
        },
        'NOT F1 AND (F2 OR F3)',
        ['Harbour 100%_', 'Mill Lane'],
      ],
    ];
    for (const [conditions, logic, expected] of cases) {
      const answer = await rows(caller, filter(conditions, logic));
      expect(streets(answer), JSON.stringify(conditions)).toEqual(expected);
    }
  });

  it('selects, sorts, pages and counts as asked', async () => {
    const sorted = await rows(caller, {
      query: {
        select: [{ field: 'Street' }, { field: 'Depth' }],
        sortBy: [{ field: 'Depth', type: 'DESC' }],
      },
    });
    expect(sorted.data).toEqual([
      { Street: 'Harbour 100%_', Depth: 20 },
      { Street: 'Main Street', Depth: 12 },
      { Street: 'main road', Depth: 7 },
      { Street: 'Mill Lane', Depth: 3 },
    ]);
    const unselected = await rows(caller, {
      query: { select: [{ field: 'Street' }], sortBy: [{ field: 'Depth', type: 'ASC' }] },
    });
    expect(streets(unselected)).toEqual(['Mill Lane', 'main road', 'Main Street', 'Harbour 100%_']);
    const page = await rows(caller, {
      query: { sortBy: [{ field: 'Depth' }] },
      paging: { pageNumber: 2, pageSize: 3 },
    });
    expect(page).toMatchObject({ pageNumber: 2, pageSize: 3, hasMoreResults: false });
    expect(streets(page)).toEqual(['Harbour 100%_']);
    const first = await rows(caller, { paging: { maxResultsToFetch: 2 } });
    expect(first).toMatchObject({ resultCount: 2, hasMoreResults: true });
    const distinct = await rows(caller, {
      query: {
        select: [{ field: 'Size' }],
        distinctResultsOnly: true,
        sortBy: [{ field: 'Size' }],
      },
    });
    expect(distinct.data).toEqual([{ Size: 'large' }, { Size: 'small' }]);

    const count = await call(`${V2}/data_views/${viewId}/count`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(filter({ F1: condition('Urgent', 'EQ', { value: true }) })),
    });
    expect(await count.json()).toMatchObject({
      resultCount: 2,
      totalCount: 2,
      hasMoreResults: false,
    });

    const metadata = await call(`${V2}/data_views/${viewId}/metadata`, {
      headers: { Authorization: `Bearer ${caller.token}` },
    });
    expect(metadata.status).toBe(200);
    const fields = (await metadata.json<{ fields: { name: string; type: string }[] }>()).fields;
    expect(fields).toContainEqual(expect.objectContaining({ name: 'Depth', type: 'Decimal' }));
    expect(fields).toContainEqual(expect.objectContaining({ name: 'pyStatusWork', type: 'Text' }));
  });

  it('answers the same rows to API v1 as pxResults', async () => {
    const v1 = await api('GET', `/data/${viewId}`, caller.token);
    expect(v1.status).toBe(200);
    const body = await v1.json<{ pxObjClass: string; pxResults: unknown[] }>();
    expect(body.pxResults).toEqual((await rows(caller)).data);
    const withParameter = await api('GET', `/data/${viewId}?Street=x`, caller.token);
    expect(withParameter.status).toBe(400);
    expect((await api('GET', '/data/D_NoSuchList', caller.token)).status).toBe(404);
  });
});

describe('a case type changed by an admin', () => {
  it('answers a query naming a field added since this isolate read the type', async () => {
    expect((await rows(caller)).data).toHaveLength(4);
    const withWard = {
      ...caseType,
      fields: [...caseType.fields, { name: 'Ward', type: 'string' }],
    };
    expect((await admin('PUT', `/casetypes/${typeId}`, withWard)).status).toBe(200);
    const answer = await rows(caller, filter({ F1: condition('Ward', 'IS_NULL') }));
    expect(answer.data).toHaveLength(4);
    const refused = await view(caller, filter({ F1: condition('Nothing', 'IS_NULL') }));
    expect(refused.status).toBe(400);
  });
});

describe('the worklist view', () => {
  it("filters the caller's own open assignments by step", async () => {
    const answer = await rows(
      caller,
      filter({ F1: condition('pxTaskLabel', 'EQ', { value: 'Complete the case' }) }),
      'D_pyMyWorkList',
    );
    expect(answer.data.map((row) => row.pxRefObjectKey)).toEqual(ids);
    expect(answer.data[0]).toMatchObject({
      pzInsKey: `ASSIGN-WORKLIST ${ids[0]}!PYSTARTCASE`,
      pyLabel: 'Pothole report',
      pyInstructions: '',
      pxUrgencyAssign: 10,
    });
    const none = await rows(
      caller,
      filter({ F1: condition('pxTaskLabel', 'EQ', { value: 'No such step' }) }),
      'D_pyMyWorkList',
    );
    expect(none.data).toEqual([]);
  });
});

describe('data view queries refused', () => {
  it('never builds SQL from what a client sends: names are allowlisted, values bound', async () => {
    const before = await countRows('cases');
    const injected = [
      { query: { select: [{ field: 'Street" FROM cases; --' }] } },
      { query: { sortBy: [{ field: 'Depth; DROP TABLE cases' }] } },
      { query: { sortBy: [{ field: 'Depth', type: 'DESC; DROP TABLE cases' }] } },
      filter({ F1: condition('Street) OR (1=1', 'EQ', { value: 'x' }) }),
      filter({ F1: condition('Street', 'EQ) OR (1=1', { value: 'x' }) }),
      filter({ F1: condition('Street', 'EQ', { value: 'x' }) }, 'F1 OR 1=1'),
      filter({ F1: condition('Street', 'EQ', { value: 'x' }) }, 'F1; DROP TABLE cases'),
      filter({ F1: condition('Street', 'EQ', { value: 'x' }) }, '(F1'),
      filter({ F1: condition('Depth', 'GT', { value: 'deep' }) }),
      filter({ F1: condition('Depth', 'CONTAINS', { value: '1' }) }),
      filter({ F1: condition('Street', 'IN', { values: [] }) }),
      filter({ F1: condition('Street', 'EQ') }),
      filter({}),
      { query: { aggregations: {} } },
    ];
    for (const body of injected) {
      const response = await view(caller, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const refusal = await response.json<{ errorDetails: { message: string }[] }>();
      expect(refusal.errorDetails[0]?.message).toBe('Error_Bad_Request');
    }
    const quoted = await rows(
      caller,
      filter({ F1: condition('Street', 'EQ', { value: "x' OR '1'='1" }) }),
    );
    expect(quoted.data).toEqual([]);
    const wildcard = await rows(
      caller,
      filter({ F1: condition('Street', 'CONTAINS', { value: '%' }) }),
    );
    expect(streets(wildcard)).toEqual(['Harbour 100%_']);
    expect(await countRows('cases')).toBe(before);
  });

  it("keeps any logic within D1's limits: long or deep logic is a 400 that says why, never a 503", async () => {
    const uses = (count: number, op: string) =>
      Array.from({ length: count }, (_, index) => (index % 2 ? 'B' : 'A')).join(` ${op} `);
    const two = {
      A: condition('Street', 'NOT_CONTAINS', { value: 'zzz' }),
      B: condition('Street', 'STARTS_WITH', { value: 'M' }),
    };
    const refused: [string, string][] = [
      [uses(60, 'OR'), 'more than 40 times'],
      [uses(83, 'AND'), 'more than 40 times'],
      [`${'NOT '.repeat(100)}A`, 'nests too deep'],
      [`${'('.repeat(30)}A${')'.repeat(30)}`, 'nests too deep'],
    ];
    for (const [logic, why] of refused) {
      for (const path of [viewId, `${viewId}/count`]) {
        const response = await view(caller, filter(two, logic), path);
        expect(response.status, `${path}: ${logic.slice(0, 40)}`).toBe(400);
        expect(JSON.stringify(await response.json())).toContain(why);
      }
    }
    // The most the limits allow answers, in rows and count alike: 40 uses, nested 10 deep.
    const deepest = `${'NOT NOT ('.repeat(3)}${uses(40, 'OR')}${')'.repeat(3)}`;
    const answered = await rows(caller, filter(two, deepest));
    expect(streets(answered).sort()).toEqual([
      'Harbour 100%_',
      'Main Street',
      'Mill Lane',
      'main road',
    ]);
    const counted = await view(caller, filter(two, deepest), `${viewId}/count`);
    expect(counted.status).toBe(200);
    expect(await counted.json()).toMatchObject({ resultCount: 4 });
  });

  it('lists a case type with more fields than D1 takes arguments', async () => {
    const wide = {
      ...caseType,
      ID: `Cnow-Views-Work-${unique('Wide')}`,
      idPrefix: 'W-',
      fields: Array.from({ length: 120 }, (_, index) => ({ name: `F${index}`, type: 'string' })),
    };
    expect((await admin('POST', '/casetypes', wide)).status).toBe(201);
    const created = await api('POST', '/cases', caller.token, {
      caseTypeID: wide.ID,
      content: { F0: 'first', F119: 'last' },
    });
    expect(created.status).toBe(201);
    const wideView = `D_${wide.ID.split('-').pop()}List`;
    const listed = await rows(
      caller,
      filter({ F1: condition('F119', 'EQ', { value: 'last' }) }),
      wideView,
    );
    expect(listed.data).toEqual([expect.objectContaining({ F0: 'first', F119: 'last', F5: null })]);
  });

  it("takes no parameters, but for the portal name Pega's web client sends", async () => {
    const portal = await view(
      caller,
      { dataViewParameters: { PortalName: 'WebPortal' } },
      'D_pxAvailableCaseTypesForPortal',
    );
    expect(portal.status).toBe(200);
    const refused = await view(caller, { dataViewParameters: { Street: 'x' } });
    expect(refused.status).toBe(400);
    const body = await refused.json<{ errorDetails: Record<string, string>[] }>();
    expect(body.errorDetails[1]).toMatchObject({
      Path: '.dataViewParameters.Street',
      erroneousInputOutputFieldInPage: '.dataViewParameters',
      erroneousInputOutputIdentifier: '.Street',
    });
  });

  it('answers 404 for an unknown view, or a case type the operator may not use', async () => {
    expect((await view(caller, undefined, 'D_NothingList')).status).toBe(404);
    expect((await view(caller, undefined, 'D_Whatever')).status).toBe(404);
    const narrow = await apiCaller({ caseTypes: ['Cnow-Other-Work-Thing'] });
    expect((await view(narrow, undefined, viewId)).status).toBe(404);
  });

  it("counts an own-visibility operator's window within its own cases, however many others hold", async () => {
    const crowded = { ...caseType, ID: `Cnow-Views-Work-${unique('Crowded')}`, idPrefix: 'K-' };
    expect((await admin('POST', '/casetypes', crowded)).status).toBe(201);
    const mine = await apiCaller();
    for (const Street of ['Own Road', 'Own Lane']) {
      const response = await api('POST', '/cases', mine.token, {
        caseTypeID: crowded.ID,
        content: { Street, Depth: 2 },
      });
      expect(response.status).toBe(201);
    }
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
       INSERT INTO cases (id, case_type_id, status, content, created_by, created_by_client, owner,
         last_updated_by, created_at, updated_at, process_id, step_index, assigned_to, assigned_at)
       SELECT 'CROWD ' || ? || i, ?, 'New', '{"Depth": 2}', ?, 'c', ?, ?, '2026-01-01', '2026-01-01',
         'pyStartCase', NULL, NULL, NULL FROM n`,
    )
      .bind(crowded.idPrefix, crowded.ID, other.operatorID, other.operatorID, other.operatorID)
      .run();
    const crowdedView = `D_${crowded.ID.split('-').pop()}List`;
    const query = {
      query: {
        filter: { filterConditions: { F1: condition('Depth', 'EQ', { value: 2 }) } },
        sortBy: [{ field: 'Street' }],
      },
    };
    const own = await rows(mine, query, crowdedView);
    expect(streets(own)).toEqual(['Own Lane', 'Own Road']);
    expect(own.hasMoreResults).toBe(false);
    const counted = await view(mine, query, `${crowdedView}/count`);
    expect(counted.status).toBe(200);
    expect(await counted.json()).toMatchObject({
      resultCount: 2,
      totalCount: 2,
      hasMoreResults: false,
    });
  });

  it('pages a status by update time, and any system column sort, in the order the index walks', async () => {
    const sorted = { ...caseType, ID: `Cnow-Views-Work-${unique('Sorted')}`, idPrefix: 'S-' };
    expect((await admin('POST', '/casetypes', sorted)).status).toBe(201);
    // 30 cases: statuses in turn, update times out of creation order, some the same.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
       INSERT INTO cases (id, case_type_id, status, urgency, content, created_by,
         created_by_client, owner, last_updated_by, created_at, updated_at, process_id,
         step_index, assigned_to, assigned_at)
       SELECT 'SORTED ' || ? || '-' || i, ?, iif(i % 3, 'New', 'Open'), 10 + i % 4, '{}', ?,
         'c', ?, ?, '2026-01-01', '2026-02-' || printf('%02d', 1 + (i * 7) % 12), 'pyStartCase',
         NULL, NULL, NULL FROM n`,
    )
      .bind(sorted.idPrefix, sorted.ID, caller.operatorID, caller.operatorID, caller.operatorID)
      .run();
    const cases = Array.from({ length: 30 }, (_, k) => {
      const i = k + 1;
      return {
        id: `SORTED ${sorted.idPrefix}-${i}`,
        seq: i,
        status: i % 3 ? 'New' : 'Open',
        urgency: 10 + (i % 4),
        updated: `2026-02-${String(1 + ((i * 7) % 12)).padStart(2, '0')}`,
      };
    });
    const listed = `D_${sorted.ID.split('-').pop()}List`;
    // The expected order: the column in the sort's direction, then creation in the same.
    const expected = (
      key: 'status' | 'urgency' | 'updated',
      descending: boolean,
      keep = (_: (typeof cases)[number]) => true,
    ) =>
      cases
        .filter(keep)
        .sort((a, b) => {
          const by = a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.seq - b.seq;
          return descending ? -by : by;
        })
        .map((one) => one.id);
    const page = async (query: unknown, pageNumber: number) =>
      (
        await rows(
          caller,
          {
            query: { select: [{ field: 'pzInsKey' }], ...(query as object) },
            paging: { pageNumber, pageSize: 4 },
          },
          listed,
        )
      ).data.map((row) => row.pzInsKey);
    const all = async (query: unknown) => {
      const found: unknown[] = [];
      for (let number = 1; number <= 8; number++) found.push(...(await page(query, number)));
      return found;
    };
    const open = {
      filter: {
        filterConditions: { F1: condition('pyStatusWork', 'EQ', { value: 'Open' }) },
      },
    };
    for (const descending of [true, false]) {
      const type = descending ? 'DESC' : 'ASC';
      expect(await all({ ...open, sortBy: [{ field: 'pxUpdateDateTime', type }] })).toEqual(
        expected('updated', descending, (one) => one.status === 'Open'),
      );
      expect(await all({ sortBy: [{ field: 'pyStatusWork', type }] })).toEqual(
        expected('status', descending),
      );
      expect(await all({ sortBy: [{ field: 'pxUrgencyWork', type }] })).toEqual(
        expected('urgency', descending),
      );
      expect(await all({ sortBy: [{ field: 'pxUpdateDateTime', type }] })).toEqual(
        expected('updated', descending),
      );
    }
  });

  it('answers past 10,000 rows: what an index answers in full, a bounded scan saying when it stopped short', async () => {
    const bigType = { ...caseType, ID: `Cnow-Views-Work-${unique('Big')}`, idPrefix: 'B-' };
    expect((await admin('POST', '/casetypes', bigType)).status).toBe(201);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
       INSERT INTO cases (id, case_type_id, status, content, created_by, created_by_client, owner,
         last_updated_by, created_at, updated_at, process_id, step_index, assigned_to, assigned_at)
       SELECT 'BIG ' || ? || '-' || i, ?, iif(i = 1, 'Open', 'New'),
         json_object('Depth', iif(i = 1, 7, 1)), ?, 'c', ?, ?, '2026-01-01', '2026-01-01',
         'pyStartCase', NULL, NULL, NULL FROM n`,
    )
      .bind(bigType.idPrefix, bigType.ID, caller.operatorID, caller.operatorID, caller.operatorID)
      .run();
    const bigView = `D_${bigType.ID.split('-').pop()}List`;
    const plain = await rows(caller, { paging: { pageNumber: 1, pageSize: 10 } }, bigView);
    expect(plain.data).toHaveLength(10);
    expect(plain.hasMoreResults).toBe(true);
    expect(plain.scanLimitReached).toBeUndefined();
    // A filter met near the walk's start fills its page: no scan stopped short.
    const filtered = await rows(
      caller,
      { ...filter({ F1: condition('Depth', 'EQ', { value: 1 }) }), paging: { pageSize: 5 } },
      bigView,
    );
    expect(filtered.data).toHaveLength(5);
    expect(filtered).toMatchObject({ hasMoreResults: true });
    expect(filtered.scanLimitReached).toBeUndefined();
    // The oldest case lies past the scan of the newest 10,000: the answer says it stopped.
    const rare = await rows(
      caller,
      filter({ F1: condition('Depth', 'EQ', { value: 7 }) }),
      bigView,
    );
    expect(rare.data).toEqual([]);
    expect(rare).toMatchObject({ hasMoreResults: true, scanLimitReached: true });
    // A sort no index follows is a sort of the scan, and says so.
    const sorted = await rows(caller, { query: { sortBy: [{ field: 'Depth' }] } }, bigView);
    expect(sorted).toMatchObject({ hasMoreResults: true, scanLimitReached: true });
    // A status the index holds is found whatever its age; so is any page of the list.
    const open = await rows(
      caller,
      filter({ F1: condition('pyStatusWork', 'EQ', { value: 'Open' }) }),
      bigView,
    );
    expect(open.data).toHaveLength(1);
    expect(open.hasMoreResults).toBe(false);
    expect(open.scanLimitReached).toBeUndefined();
    const past = await rows(caller, { paging: { pageNumber: 21, pageSize: 500 } }, bigView);
    expect(past.data).toHaveLength(1);
    expect(past.hasMoreResults).toBe(false);
    const counted = await view(caller, {}, `${bigView}/count`);
    expect(await counted.json()).toMatchObject({ totalCount: 10001, hasMoreResults: false });
  });
});
