import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  apiCaller,
  CITY_SERVICES,
  callWithEnv,
  casePath,
  cityServicesType,
  countRows,
  createCase,
  defineCaseType,
  expectPegaError,
  fetchWorker,
  issueToken,
  ORIGIN,
  seedCase,
  unique,
} from './helpers';

beforeAll(async () => {
  await defineCaseType();
});

/** The list entry Pega clients expect for a fresh seed case created by `operatorID`. */
function seedSummary(id: string | undefined, operatorID: string) {
  return {
    ID: id,
    caseTypeID: CITY_SERVICES,
    name: 'City services request',
    pxObjClass: 'Pega-API-CaseManagement-Case',
    status: 'New',
    urgency: '10',
    createTime: expect.any(String),
    createdBy: operatorID,
    lastUpdateTime: expect.any(String),
    lastUpdatedBy: operatorID,
    parentCaseID: '',
  };
}

describe('POST /api/v1/cases', () => {
  it("answers the seed's request with 201, the new case's ID and class, Location and ETag", async () => {
    const caller = await apiCaller({ caseTypes: [CITY_SERVICES] });
    const response = await api('POST', '/cases', caller.token, seedCase);
    expect(response.status).toBe(201);
    const body = await response.json<{ ID: string }>();
    expect(body).toEqual({
      ID: expect.stringMatching(/^CNOW-CONNECTNOW-WORK R-\d+$/),
      nextAssignmentID: `ASSIGN-WORKLIST ${body.ID}!PYSTARTCASE`,
      nextPageID: 'Perform',
      pxObjClass: 'Pega-API-CaseManagement-Case',
    });
    expect(response.headers.get('Location')).toBe(
      `${ORIGIN}/api/v1/cases/${encodeURIComponent(body.ID)}`,
    );
    expect(response.headers.get('ETag')).toBe('"1"');
  });

  it('numbers cases per prefix from R-1001', async () => {
    const prefix = `${unique('Q')
      .replace(/[^A-Za-z0-9]/g, '')
      .slice(0, 10)}-`;
    const caseTypeID = `Org-App-Work-${unique('Numbered')}`;
    await defineCaseType({ ...cityServicesType, ID: caseTypeID, idPrefix: prefix });
    const caller = await apiCaller();
    const first = await createCase(caller, { ...seedCase, caseTypeID });
    const second = await createCase(caller, { ...seedCase, caseTypeID });
    expect(first.ID).toBe(`ORG-APP-WORK ${prefix}1001`);
    expect(second.ID).toBe(`ORG-APP-WORK ${prefix}1002`);
  });

  it('gives 60 concurrent creates 60 distinct IDs, and spends no number without a case', async () => {
    const caller = await apiCaller();
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => api('POST', '/cases', caller.token, seedCase)),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(60).fill(201));
    const ids = await Promise.all(
      responses.map(async (response) => (await response.json<{ ID: string }>()).ID),
    );
    expect(new Set(ids).size).toBe(60);
    const counter = await env.DB.prepare(
      "SELECT last FROM case_counters WHERE prefix = 'R-'",
    ).first<{ last: number }>();
    const cases = await env.DB.prepare(
      "SELECT count(*) AS n FROM cases WHERE id LIKE '% R-%'",
    ).first<{ n: number }>();
    expect(counter?.last).toBe(1000 + (cases?.n ?? 0));
  });

  it('defaults processID to pyStartCase and records the creator', async () => {
    const caller = await apiCaller();
    const { processID: _omitted, ...withoutProcess } = seedCase;
    const created = await createCase(caller, withoutProcess);
    const read = await (await api('GET', casePath(created.ID), caller.token)).json();
    expect(read).toMatchObject({
      createdBy: caller.operatorID,
      owner: caller.operatorID,
      status: 'New',
    });
  });

  it('refuses invalid content with Pega_API_001 and a ValidationMessage per field, writing nothing', async () => {
    const caller = await apiCaller();
    const before = await countRows('cases');
    const response = await api('POST', '/cases', caller.token, {
      caseTypeID: CITY_SERVICES,
      content: { RequestID: 42, RequestDetail: 'x'.repeat(2001), Colour: 'red' },
    });
    const error = await expectPegaError(response, 400, 'Pega_API_001');
    expect(error.ValidationMessages).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Path: '.RequestID', ValidationMessage: expect.any(String) }),
        expect.objectContaining({ Path: '.RequestDetail', ValidationMessage: expect.any(String) }),
        expect.objectContaining({ Path: '.Colour', ValidationMessage: 'Unknown field.' }),
      ]),
    );
    const missing = await api('POST', '/cases', caller.token, {
      caseTypeID: CITY_SERVICES,
      content: {},
    });
    const missingError = await expectPegaError(missing, 400, 'Pega_API_001');
    expect(missingError.ValidationMessages?.map((message) => message.Path).sort()).toEqual([
      '.RequestDetail',
      '.RequestID',
    ]);
    expect(await countRows('cases')).toBe(before);
  });

  it('validates every field type: number, boolean, date, enum', async () => {
    const caseTypeID = `Org-App-Work-${unique('Typed')}`;
    await defineCaseType({
      ...cityServicesType,
      ID: caseTypeID,
      idPrefix: 'T-',
      fields: [
        { name: 'Amount', type: 'number', required: true },
        { name: 'Urgent', type: 'boolean' },
        { name: 'DueDate', type: 'date' },
        { name: 'Channel', type: 'string', enum: ['web', 'phone'] },
      ],
    });
    const caller = await apiCaller();
    const good = { Amount: 12.5, Urgent: true, DueDate: '2026-12-24', Channel: 'web' };
    expect((await api('POST', '/cases', caller.token, { caseTypeID, content: good })).status).toBe(
      201,
    );
    const bad = await api('POST', '/cases', caller.token, {
      caseTypeID,
      content: { Amount: 'twelve', Urgent: 'yes', DueDate: '24/12/2026', Channel: 'fax' },
    });
    const error = await expectPegaError(bad, 400, 'Pega_API_001');
    expect(error.ValidationMessages?.map((message) => message.Path).sort()).toEqual([
      '.Amount',
      '.Channel',
      '.DueDate',
      '.Urgent',
    ]);
  });

  it("accepts values as Pega's clients send them (all strings, US dates) and stores them typed", async () => {
    const caseTypeID = `Org-App-Work-${unique('Pega')}`;
    await defineCaseType({
      ...cityServicesType,
      ID: caseTypeID,
      idPrefix: 'P-',
      fields: [
        { name: 'Amount', type: 'number' },
        { name: 'Urgent', type: 'boolean' },
        { name: 'DueDate', type: 'date' },
        { name: 'Since', type: 'date' },
      ],
    });
    const caller = await apiCaller();
    const created = await createCase(caller, {
      caseTypeID,
      content: { Amount: '12.5', Urgent: 'true', DueDate: '12/24/2026', Since: '20260101' },
    });
    const read = await (await api('GET', casePath(created.ID), caller.token)).json<{
      content: Record<string, unknown>;
    }>();
    expect(read.content).toMatchObject({
      Amount: 12.5,
      Urgent: true,
      DueDate: '2026-12-24',
      Since: '2026-01-01',
    });
  });

  it('answers the Pega IDs for a missing type, an unknown type and an unknown process', async () => {
    const caller = await apiCaller();
    const before = await countRows('cases');
    await expectPegaError(
      await api('POST', '/cases', caller.token, { content: {} }),
      400,
      'Pega_API_004',
    );
    await expectPegaError(
      await api('POST', '/cases', caller.token, { ...seedCase, caseTypeID: 'Nope-App-Work-X' }),
      400,
      'Pega_API_008',
    );
    await expectPegaError(
      await api('POST', '/cases', caller.token, { ...seedCase, processID: 'pyOther' }),
      400,
      'Pega_API_009',
    );
    expect(await countRows('cases')).toBe(before);
  });

  it('refuses a case type outside the access group with 403 Pega_API_019', async () => {
    const caller = await apiCaller({ caseTypes: ['Other-App-Work-Thing'] });
    const before = await countRows('cases');
    await expectPegaError(await api('POST', '/cases', caller.token, seedCase), 403, 'Pega_API_019');
    expect(await countRows('cases')).toBe(before);
  });

  it('refuses a non-JSON body with 415, bad JSON with 400, unknown top-level fields with 400, 64 KiB+ with 413', async () => {
    const caller = await apiCaller();
    const before = await countRows('cases');
    await expectPegaError(
      await api('POST', '/cases', caller.token, undefined, { 'Content-Type': 'text/plain' }),
      415,
      'Pega_API_001',
    );
    await expectPegaError(
      await api('POST', '/cases', caller.token, '{"caseTypeID":'),
      400,
      'Pega_API_001',
    );
    await expectPegaError(
      await api('POST', '/cases', caller.token, { ...seedCase, pageinstructions: [] }),
      400,
      'Pega_API_001',
    );
    // Page instructions the flat field model cannot apply: a field error, never ignored.
    const instruction = await api('POST', '/cases', caller.token, {
      ...seedCase,
      pageInstructions: [{ instruction: 'UPDATE', target: 'Address', content: { City: 'X' } }],
    });
    const error = await expectPegaError(instruction, 400, 'Pega_API_001');
    expect(error.ValidationMessages?.map((message) => message.Path)).toEqual([
      '.pageInstructions.0',
    ]);
    const huge = {
      ...seedCase,
      content: { ...seedCase.content, RequestDetail: 'x'.repeat(70 * 1024) },
    };
    await expectPegaError(await api('POST', '/cases', caller.token, huge), 413, 'Pega_API_001');
    expect(await countRows('cases')).toBe(before);
  });

  it('refuses a streamed body without Content-Length as soon as it passes 64 KiB', async () => {
    const caller = await apiCaller();
    const before = await countRows('cases');
    const chunk = new TextEncoder().encode('x'.repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Far more than the limit would be sent if the Worker kept reading.
        if (sent >= 64) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const response = await fetchWorker(`${ORIGIN}/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
      body,
    });
    await expectPegaError(response, 413, 'Pega_API_001');
    expect(sent).toBeLessThan(64);
    expect(await countRows('cases')).toBe(before);
  });

  it('links a parent case the operator can see, and refuses one it cannot', async () => {
    const caller = await apiCaller();
    const parent = await createCase(caller);
    const child = await createCase(caller, { ...seedCase, parentCaseID: parent.ID });
    const read = await (await api('GET', casePath(child.ID), caller.token)).json();
    expect(read).toMatchObject({ parentCaseID: parent.ID });

    const stranger = await apiCaller();
    const error = await expectPegaError(
      await api('POST', '/cases', stranger.token, { ...seedCase, parentCaseID: parent.ID }),
      400,
      'Pega_API_001',
    );
    expect(error.ValidationMessages?.[0]?.Path).toBe('.parentCaseID');
  });
});

describe('Idempotency-Key', () => {
  const createWithKey = (caller: { token: string }, key: string, body: unknown = seedCase) =>
    api('POST', '/cases', caller.token, body, { 'Idempotency-Key': key });
  const createdId = async (caller: { token: string }, key: string) =>
    (await (await createWithKey(caller, key)).json<{ ID: string }>()).ID;

  it('returns the first case for a retried POST instead of a second case', async () => {
    const caller = await apiCaller();
    const key = crypto.randomUUID();
    const first = await createWithKey(caller, key);
    const before = await countRows('cases');
    const retry = await createWithKey(caller, key);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(await retry.json()).toEqual(await first.json());
    expect(retry.headers.get('Location')).toBe(first.headers.get('Location'));
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await countRows('cases')).toBe(before);
  });

  it('gives concurrent retries with one key one case', async () => {
    const caller = await apiCaller();
    const key = crypto.randomUUID();
    const before = await countRows('cases');
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => createWithKey(caller, key)),
    );
    const ids = await Promise.all(
      responses.map(async (response) => (await response.json<{ ID: string }>()).ID),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(8).fill(201));
    expect(new Set(ids).size).toBe(1);
    expect(await countRows('cases')).toBe(before + 1);
  });

  it('refuses the same key with a different body with 422', async () => {
    const caller = await apiCaller();
    const key = crypto.randomUUID();
    await createWithKey(caller, key);
    const before = await countRows('cases');
    const changed = { ...seedCase, content: { ...seedCase.content, RequestID: 'OTHER' } };
    await expectPegaError(await createWithKey(caller, key, changed), 422, 'Pega_API_001');
    expect(await countRows('cases')).toBe(before);
  });

  it('scopes keys to the client', async () => {
    const [one, two] = [
      await apiCaller({ caseVisibility: 'all' }),
      await apiCaller({ caseVisibility: 'all' }),
    ];
    const key = crypto.randomUUID();
    expect(await createdId(two, key)).not.toBe(await createdId(one, key));
  });

  it('replays only within 24 hours', async () => {
    const caller = await apiCaller();
    const key = crypto.randomUUID();
    const first = await createdId(caller, key);
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000 - 1000).toISOString();
    await env.DB.prepare('UPDATE idempotency_keys SET created_at = ? WHERE key = ?')
      .bind(dayAgo, key)
      .run();
    expect(await createdId(caller, key)).not.toBe(first);
  });

  it('refuses a malformed key with 400', async () => {
    const caller = await apiCaller();
    await expectPegaError(
      await api('POST', '/cases', caller.token, seedCase, { 'Idempotency-Key': 'x'.repeat(256) }),
      400,
      'Pega_API_001',
    );
  });
});

describe('GET /api/v1/cases/{ID}', () => {
  it('reads a case back with summary, owner, content and ETag', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const response = await api('GET', casePath(created.ID), caller.token);
    expect(response.status).toBe(200);
    expect(response.headers.get('ETag')).toBe(created.etag);
    expect(response.headers.get('Cache-Control')).toBe('no-store, no-transform');
    const pyID = created.ID.split(' ')[1];
    expect(await response.json()).toEqual({
      ...seedSummary(created.ID, caller.operatorID),
      owner: caller.operatorID,
      stage: { ID: 'Complete', name: 'Complete the case' },
      assignments: [
        {
          ID: `ASSIGN-WORKLIST ${created.ID}!PYSTARTCASE`,
          caseID: created.ID,
          name: 'Complete the case',
          urgency: '10',
          instructions: '',
          routedTo: caller.operatorID,
          pxObjClass: 'Pega-API-CaseManagement-Assignment',
          actions: [{ ID: 'Submit', name: 'Submit' }],
        },
      ],
      actions: [],
      content: {
        RequestID: 'FT123',
        RequestDetail: 'faster trains, please!',
        pxObjClass: CITY_SERVICES,
        pyID,
        pyLabel: 'City services request',
        pyStatusWork: 'New',
      },
    });
  });

  it("answers another operator's case with 404 as if absent", async () => {
    const owner = await apiCaller();
    const stranger = await apiCaller();
    const created = await createCase(owner);
    await expectPegaError(
      await api('GET', casePath(created.ID), stranger.token),
      404,
      'Pega_API_011',
    );
    await expectPegaError(
      await api('GET', casePath('CNOW-CONNECTNOW-WORK R-999999'), owner.token),
      404,
      'Pega_API_011',
    );
  });

  it("lets an operator with caseVisibility 'all' read others' cases, but not outside its case types", async () => {
    const owner = await apiCaller();
    const created = await createCase(owner);
    const supervisor = await apiCaller({ caseVisibility: 'all' });
    expect((await api('GET', casePath(created.ID), supervisor.token)).status).toBe(200);
    const narrow = await apiCaller({ caseVisibility: 'all', caseTypes: ['Other-App-Work-Thing'] });
    await expectPegaError(
      await api('GET', casePath(created.ID), narrow.token),
      404,
      'Pega_API_011',
    );
  });
});

describe('GET /api/v1/cases', () => {
  it("lists the operator's own cases, newest first, in pages", async () => {
    const caller = await apiCaller();
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push((await createCase(caller)).ID);
    const stranger = await apiCaller();
    await createCase(stranger);

    const first = await api('GET', '/cases?limit=3', caller.token);
    expect(first.status).toBe(200);
    const page1 = await first.json<{
      pxObjClass: string;
      cases: Record<string, unknown>[];
      nextCursor: string;
    }>();
    expect(page1.pxObjClass).toBe('Pega-API-CaseManagement');
    expect(page1.cases.map((item) => item.ID)).toEqual(created.slice(2).reverse());
    expect(page1.cases[0]).toEqual(seedSummary(created[4], caller.operatorID));
    const page2 = await (
      await api('GET', `/cases?limit=3&cursor=${page1.nextCursor}`, caller.token)
    ).json<{
      cases: { ID: string }[];
      nextCursor?: string;
    }>();
    expect(page2.cases.map((item) => item.ID)).toEqual(created.slice(0, 2).reverse());
    expect(page2.nextCursor).toBeUndefined();
  });

  it('refuses a bad limit or cursor with 400', async () => {
    const caller = await apiCaller();
    for (const query of ['limit=0', 'limit=501', 'limit=x', 'cursor=abc', 'cursor=-1']) {
      await expectPegaError(await api('GET', `/cases?${query}`, caller.token), 400, 'Pega_API_001');
    }
  });

  it("shows an 'all' operator everyone's cases within its case types", async () => {
    const owner = await apiCaller();
    const created = await createCase(owner);
    const supervisor = await apiCaller({ caseVisibility: 'all' });
    const list = await (await api('GET', '/cases?limit=500', supervisor.token)).json<{
      cases: { ID: string }[];
    }>();
    expect(list.cases.map((item) => item.ID)).toContain(created.ID);
    const narrow = await apiCaller({ caseVisibility: 'all', caseTypes: ['Other-App-Work-Thing'] });
    const none = await (await api('GET', '/cases', narrow.token)).json<{ cases: unknown[] }>();
    expect(none.cases).toEqual([]);
  });
});

describe('PUT /api/v1/cases/{ID}', () => {
  const put = (token: string, id: string, content: Record<string, unknown>, ifMatch?: string) =>
    api(
      'PUT',
      casePath(id),
      token,
      { content },
      ifMatch === undefined ? {} : { 'If-Match': ifMatch },
    );

  it('merges content with a matching If-Match: 204, new ETag, status Open', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const response = await put(
      caller.token,
      created.ID,
      { RequestDetail: 'and trams' },
      created.etag,
    );
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    expect(response.headers.get('ETag')).toBe('"2"');
    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('ETag')).toBe('"2"');
    expect(await read.json()).toMatchObject({
      status: 'Open',
      content: { RequestID: 'FT123', RequestDetail: 'and trams', pyStatusWork: 'Open' },
    });
  });

  it('answers 428 Pega_API_020 without If-Match and 412 Pega_API_021 for a stale one, changing nothing', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const change = { content: { RequestDetail: 'changed' } };
    await expectPegaError(await put(caller.token, created.ID, change.content), 428, 'Pega_API_020');
    await put(caller.token, created.ID, change.content, created.etag);
    for (const stale of [created.etag, 'W/"1"', '"99"', '2']) {
      await expectPegaError(
        await put(caller.token, created.ID, { RequestDetail: 'lost' }, stale),
        412,
        'Pega_API_021',
      );
    }
    const read = await (await api('GET', casePath(created.ID), caller.token)).json<{
      content: Record<string, unknown>;
    }>();
    expect(read.content.RequestDetail).toBe('changed');
  });

  it('refuses an empty If-Match as malformed (400), not as absent, changing nothing', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    // Straight to the app: the test runtime's own fetch drops a header with no value.
    for (const empty of ['', ' , ']) {
      const response = await callWithEnv({}, `/api/v1${casePath(created.ID)}`, {
        method: 'PUT',
        headers: {
          Authorization: `Bearer ${caller.token}`,
          'Content-Type': 'application/json',
          'If-Match': empty,
        },
        body: JSON.stringify({ content: { RequestDetail: 'lost' } }),
      });
      await expectPegaError(response, 400, 'Pega_API_001');
    }
    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('ETag')).toBe(created.etag);
  });

  it('lets exactly one of two concurrent updates with the same ETag win', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const responses = await Promise.all(
      ['first', 'second'].map((detail) =>
        put(caller.token, created.ID, { RequestDetail: detail }, created.etag),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([204, 412]);
  });

  it('validates the merged content and refuses unknown fields, changing nothing', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const response = await put(
      caller.token,
      created.ID,
      { RequestID: 7, Extra: 'x' },
      created.etag,
    );
    const error = await expectPegaError(response, 400, 'Pega_API_001');
    expect(error.ValidationMessages?.map((message) => message.Path).sort()).toEqual([
      '.Extra',
      '.RequestID',
    ]);
    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('ETag')).toBe(created.etag);
  });

  it("needs cases:update, and answers another operator's case with 404", async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const noUpdate = await issueToken(caller, { scope: 'cases:read cases:create' });
    await expectPegaError(await put(noUpdate, created.ID, {}, created.etag), 403, 'Pega_API_019');
    const stranger = await apiCaller();
    await expectPegaError(await put(stranger.token, created.ID, {}, '*'), 404, 'Pega_API_011');
  });

  it('accepts If-Match: * for an existing case', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const response = await put(caller.token, created.ID, {}, '*');
    expect(response.status).toBe(204);
  });

  it('lands every one of 10 concurrent updates with If-Match: *, losing none of them', async () => {
    const fields = Array.from({ length: 10 }, (_, i) => ({
      name: `F${i}`,
      type: 'string',
      required: false,
    }));
    const type = {
      ...cityServicesType,
      ID: `Test-Star-Work-${unique('T')}`,
      idPrefix: 'S-',
      fields,
    };
    await defineCaseType(type);
    const caller = await apiCaller();
    const created = await createCase(caller, { caseTypeID: type.ID, content: {} });
    const responses = await Promise.all(
      fields.map(({ name }) => put(caller.token, created.ID, { [name]: name }, '*')),
    );
    expect(responses.map((response) => response.status)).toEqual(fields.map(() => 204));
    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('ETag')).toBe('"11"');
    const { content } = await read.json<{ content: Record<string, unknown> }>();
    for (const { name } of fields) expect(content[name]).toBe(name);
  });

  it('takes a weak ETag (as a proxy may turn it) as the same version', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const weak = `W/${created.etag}`;
    const response = await put(caller.token, created.ID, { RequestDetail: 'via proxy' }, weak);
    expect(response.status).toBe(204);
    expect(response.headers.get('ETag')).toBe('"2"');
    // Still a precondition: the old weak tag is now stale.
    await expectPegaError(
      await put(caller.token, created.ID, { RequestDetail: 'x' }, weak),
      412,
      'Pega_API_021',
    );
  });

  it('tells proxies not to transform case answers, so the ETag stays strong', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const read = await api('GET', casePath(created.ID), caller.token);
    expect(read.headers.get('Cache-Control')).toBe('no-store, no-transform');
    const update = await put(caller.token, created.ID, {}, created.etag);
    expect(update.headers.get('Cache-Control')).toBe('no-store, no-transform');
  });
});

describe("Pega's path", () => {
  it('creates and reads a case under /prweb/api/v1', async () => {
    const caller = await apiCaller();
    const response = await fetchWorker(`${ORIGIN}/prweb/api/v1/cases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(seedCase),
    });
    expect(response.status).toBe(201);
    const { ID } = await response.json<{ ID: string }>();
    const read = await fetchWorker(`${ORIGIN}/prweb/api/v1/cases/${encodeURIComponent(ID)}`, {
      headers: { Authorization: `Bearer ${caller.token}` },
    });
    expect(read.status).toBe(200);
  });
});
