import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { aroundBatch } from './d1-hooks';
import {
  admin,
  apiCaller,
  callWithEnv,
  casePath,
  countRows,
  createCase,
  defineCaseType,
  registerClient,
  seedCase,
  tokenRequestInit,
  unique,
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

  it('writes nothing for the quota of a client without one, and counts one given a quota since', async () => {
    const client = await registerClient({ tokensPerHour: null });
    expect((await callWithEnv({}, '/oauth2/v1/token', tokenRequestInit(client))).status).toBe(200);
    const { record, call } = recorded();
    const response = await call('/oauth2/v1/token', tokenRequestInit(client));
    expect(response.status).toBe(200);
    expect(record.sql.some((sql) => /token_quota/.test(sql))).toBe(false);
    expect(response.headers.get('RateLimit-Limit')).toBeNull();
    // An admin gives it a quota: the very next token is counted (beside its KV put).
    const patched = await admin('PATCH', `/clients/${client.clientID}`, { tokensPerHour: 5 });
    expect(patched.status).toBe(200);
    const counted = recorded();
    const next = await counted.call('/oauth2/v1/token', tokenRequestInit(client));
    expect(next.status).toBe(200);
    expect(next.headers.get('RateLimit-Remaining')).toBe('4');
    expect(counted.record.levels).toBe(2);
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
      '/data/D_pyMyWorkList',
    ]) {
      const { record, call } = recorded();
      const response = await call(`/api/v1${path}`, { headers: bearer(caller.token) });
      expect(response.status, path).toBe(200);
      expect(record.levels, path).toBe(1);
      expect(record.calls.sort(), path).toEqual(['D1 batch', 'KV get']);
      // A case is read with its whole type and the principal in one statement (#28), and no
      // other is prepared for it.
      if (path === casePath(created.ID)) expect(record.sql, path).toHaveLength(1);
      // A bearer reads nothing of its client's secret: no hash, keys or certificate (#28).
      expect(record.sql.join('\n'), path).not.toMatch(/secret_hash|jwks|tls_/);
    }
  });

  it('creates and updates a case in one level once the case type is cached, two with a key', async () => {
    const caller = await apiCaller();
    // The first create of a case type in this isolate reads it, then writes: two levels.
    const typeId = await freshCaseType();
    const cold = recorded();
    const first = await cold.call('/api/v1/cases', createInit(caller, typeId));
    expect(first.status).toBe(201);
    expect(cold.record.levels).toBe(2);

    // Warm: the write rides in the batch that authorizes it, beside the token's KV get.
    const warm = recorded();
    const response = await warm.call('/api/v1/cases', createInit(caller, typeId));
    expect(response.status).toBe(201);
    expect(warm.record.levels).toBe(1);
    expect(warm.record.calls.sort()).toEqual(['D1 batch', 'KV get']);
    const { ID } = await response.json<{ ID: string }>();
    expect(response.headers.get('ETag')).toBe('"1"');

    const update = recorded();
    const updated = await update.call(`/api/v1${casePath(ID)}`, {
      method: 'PUT',
      headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { RequestDetail: 'one level', Budget: '12' } }),
    });
    expect(updated.status).toBe(204);
    expect(updated.headers.get('ETag')).toBe('"2"');
    expect(update.record.levels).toBe(1);
    const read = await callWithEnv({}, `/api/v1${casePath(ID)}`, { headers: bearer(caller.token) });
    expect(await read.json()).toMatchObject({
      status: 'Open',
      content: { RequestID: 'R1', RequestDetail: 'one level', Budget: 12 },
    });

    // With an Idempotency-Key the earlier result is read first: two levels.
    const keyed = recorded();
    const withKey = await keyed.call(
      '/api/v1/cases',
      createInit(caller, typeId, { 'Idempotency-Key': 'k1' }),
    );
    expect(withKey.status).toBe(201);
    expect(keyed.record.levels).toBe(2);
  });

  it('never writes with a stale cached case type: an admin change is seen by the next request', async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    const created = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId));
    expect(created.status).toBe(201);
    const { ID } = await created.json<{ ID: string }>();
    // The admin narrows the type: RequestDetail at most 5 characters now.
    const current = await admin('GET', `/casetypes/${typeId}`);
    const body = await current.json<{ fields: Record<string, unknown>[] }>();
    const narrowed = await admin(
      'PUT',
      `/casetypes/${typeId}`,
      {
        ...caseTypeBody(typeId),
        fields: body.fields.map((field) =>
          field.name === 'RequestDetail' ? { ...field, maxLength: 5 } : field,
        ),
      },
      { 'If-Match': current.headers.get('ETag') as string },
    );
    expect(narrowed.status).toBe(200);
    // The cached definition is stale: the write does not happen, one more round trip reads
    // the definition as it is, and the request is made again with it (once per isolate after
    // an admin's change: three levels).
    const retried = recorded();
    const short = { RequestID: 'R2', RequestDetail: 'short' };
    const afterChange = await retried.call('/api/v1/cases', createInit(caller, typeId, {}, short));
    expect(afterChange.status).toBe(201);
    expect(retried.record.levels).toBe(3);
    // Valid for the old definition, invalid for the new one: refused, nothing written.
    const before = await countRows('cases');
    const long = { RequestID: 'R3', RequestDetail: 'far too long' };
    const refused = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId, {}, long));
    expect(refused.status).toBe(400);
    expect(await countRows('cases')).toBe(before);
    const update = await callWithEnv({}, `/api/v1${casePath(ID)}`, {
      method: 'PUT',
      headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '*' }),
      body: JSON.stringify({ content: { RequestDetail: 'much too long now' } }),
    });
    expect(update.status).toBe(400);
    const row = await env.DB.prepare('SELECT version FROM cases WHERE id = ?').bind(ID).first();
    expect(row).toEqual({ version: 1 });
    // And with the new definition cached, one level again.
    const fits = recorded();
    expect((await fits.call('/api/v1/cases', createInit(caller, typeId, {}, short))).status).toBe(
      201,
    );
    expect(fits.record.levels).toBe(1);
  });

  it('never writes in one level for an operator that lost the case type or the privilege', async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    expect((await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId))).status).toBe(201);
    const before = await countRows('cases');
    const moved = await admin('PATCH', `/operators/${caller.operatorID}`, {
      accessGroup: { caseTypes: ['Other-App-Work-Thing'] },
    });
    expect(moved.status).toBe(200);
    const refused = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId));
    expect(refused.status).toBe(403);
    const narrowed = await admin('PATCH', `/operators/${caller.operatorID}`, {
      accessGroup: { caseTypes: ['*'], privileges: ['cases:read'] },
    });
    expect(narrowed.status).toBe(200);
    expect((await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId))).status).toBe(403);
    expect(await countRows('cases')).toBe(before);
  });

  it('takes a one-level write back when the token has no KV record beside it', async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    const first = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId));
    const { ID } = await first.json<{ ID: string }>();
    const before = await countRows('cases');
    const prefix = `${typeId.slice(-3)}-`;
    const counter = await env.DB.prepare('SELECT last FROM case_counters WHERE prefix = ?')
      .bind(prefix)
      .first();
    for (const { name } of (await env.TOKENS.list({ prefix: `at:${caller.clientID}:` })).keys) {
      await env.TOKENS.delete(name);
    }
    const created = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId));
    expect(created.status).toBe(401);
    expect(await countRows('cases')).toBe(before);
    expect(
      await env.DB.prepare('SELECT last FROM case_counters WHERE prefix = ?').bind(prefix).first(),
    ).toEqual(counter);
    const updated = await callWithEnv({}, `/api/v1${casePath(ID)}`, {
      method: 'PUT',
      headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { RequestDetail: 'never kept' } }),
    });
    expect(updated.status).toBe(401);
    const row = await env.DB.prepare('SELECT version, content FROM cases WHERE id = ?')
      .bind(ID)
      .first<{ version: number; content: string }>();
    expect(row?.version).toBe(1);
    expect(JSON.parse(row?.content ?? '{}')).toMatchObject({ RequestDetail: 'x' });
    const history = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE target_type = 'case' AND target_id = ?",
    )
      .bind(ID)
      .first<{ n: number }>();
    expect(history?.n).toBe(1);
  });
});

describe('a refused one-level write is taken back whatever came after it (security review 3)', () => {
  /** D1 on which `later` lands right after the batch that merges into a case. */
  const writingAfterTheMerge = (later: (db: D1Database) => Promise<unknown>) =>
    aroundBatch(/json_patch\(content/, 'after', later).db;

  it('puts back the values it set that still hold, keeps what later writes set, and drops its history', async () => {
    for (const laterField of ['RequestID', 'RequestDetail']) {
      const caller = await apiCaller();
      const typeId = await freshCaseType();
      const first = await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId));
      const { ID } = await first.json<{ ID: string }>();
      for (const { name } of (await env.TOKENS.list({ prefix: `at:${caller.clientID}:` })).keys) {
        await env.TOKENS.delete(name);
      }
      const db = writingAfterTheMerge((real) =>
        real
          .prepare(
            `UPDATE cases SET content = json_set(content, '$.${laterField}', 'theirs'),
               version = version + 1 WHERE id = ?`,
          )
          .bind(ID)
          .run(),
      );
      const refused = await callWithEnv({ DB: db }, `/api/v1${casePath(ID)}`, {
        method: 'PUT',
        headers: bearer(caller.token, { 'Content-Type': 'application/json', 'If-Match': '"1"' }),
        body: JSON.stringify({ content: { RequestDetail: 'never kept' } }),
      });
      expect(refused.status).toBe(401);
      const row = await env.DB.prepare('SELECT version, content FROM cases WHERE id = ?')
        .bind(ID)
        .first<{ version: number; content: string }>();
      const content = JSON.parse(row?.content ?? '{}');
      expect(content.RequestDetail, laterField).toBe(
        laterField === 'RequestDetail' ? 'theirs' : 'x',
      );
      expect(content.RequestID, laterField).toBe(laterField === 'RequestID' ? 'theirs' : 'R1');
      expect(row?.version).toBeGreaterThan(2);
      const history = await env.DB.prepare(
        "SELECT action FROM audit_log WHERE target_type = 'case' AND target_id = ? ORDER BY id",
      )
        .bind(ID)
        .all<{ action: string }>();
      expect(history.results.map((entry) => entry.action)).toEqual(['case.create']);
    }
  });
});

describe('storage levels per DX API v2 route', () => {
  const V2 = '/prweb/api/application/v2';
  const json = (token: string, extra: Record<string, string> = {}) =>
    bearer(token, { 'Content-Type': 'application/json', 'x-origin-channel': 'Web', ...extra });

  it('answers every read, and a refresh, in one level; creates and edits in one; performs in two', async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    // Cold, the create reads the case type first; warm, it writes in the authorizing batch.
    expect((await callWithEnv({}, `${V2}/cases`, createInit(caller, typeId))).status).toBe(201);
    const create = recorded();
    const created = await create.call(`${V2}/cases?viewType=form`, createInit(caller, typeId));
    expect(created.status).toBe(201);
    expect(create.record.levels).toBe(1);
    // Pega's Constellation engine creates in page mode: the same one level, warm.
    const embedded = recorded();
    const paged = await embedded.call(
      `${V2}/cases?viewType=page&pageName=pyEmbedAssignment`,
      createInit(caller, typeId),
    );
    expect(paged.status).toBe(201);
    expect(embedded.record.levels).toBe(1);
    const { ID } = await created.json<{ ID: string }>();
    const assignment = `/assignments/${encodeURIComponent(`ASSIGN-WORKLIST ${ID}!PYSTARTCASE`)}`;

    const reads: [string, string][] = [
      ['GET', '/casetypes'],
      ['GET', `/casetypes/${typeId}/actions/Create`],
      ['GET', casePath(ID)],
      ['GET', `${casePath(ID)}?viewType=page`],
      ['GET', `${casePath(ID)}/views/pyReview`],
      ['GET', `${casePath(ID)}/stages`],
      ['DELETE', `${casePath(ID)}/updates`],
      ['GET', `${casePath(ID)}/actions/pyUpdateCaseDetails`],
      ['GET', '/assignments/next'],
      ['GET', assignment],
      ['GET', `${assignment}/actions/Submit`],
      ['GET', '/data_views/D_pxAvailableCaseTypesForPortal'],
      ['GET', '/data_views/D_pxBootstrapConfig'],
      ['GET', `${assignment}?viewType=page`],
      ['POST', '/data_views/D_pyMyWorkList'],
      ['POST', '/data_views/D_pyMyWorkList/count'],
      // The case type is known to this isolate (its case was just created): one level.
      ['POST', `/data_views/D_${typeId.split('-').pop()}List`],
      ['POST', `/data_views/D_${typeId.split('-').pop()}List/count`],
      ['GET', `${casePath(ID)}/attachments`],
      ['GET', `${casePath(ID)}/attachment_categories`],
    ];
    for (const [method, path] of reads) {
      const { record, call } = recorded();
      const response = await call(`${V2}${path}`, { method, headers: json(caller.token) });
      expect(response.status, path).toBe(200);
      expect(record.levels, path).toBe(1);
      expect(record.calls.sort(), path).toEqual(['D1 batch', 'KV get']);
    }
    // A stage move (on an open case): the case beside the bearer check, then its guarded write.
    const open = await callWithEnv({}, `${V2}/cases`, createInit(caller, typeId));
    const { ID: openId } = await open.json<{ ID: string }>();
    const move = recorded();
    // The default flow's one stage, entered again.
    const moved = await move.call(`${V2}${casePath(openId)}/stages/Complete`, {
      method: 'PUT',
      headers: json(caller.token, { 'If-Match': '"1"' }),
    });
    expect(moved.status).toBe(200);
    expect(move.record.levels).toBe(2);
    // A download: the record beside the bearer check, the object fetched in parallel.
    const attachmentId = await uploadNote(caller.token);
    const fetched = recorded();
    const download = await fetched.call(`${V2}/attachments/${attachmentId}`, {
      headers: bearer(caller.token),
    });
    expect(download.status).toBe(200);
    expect(fetched.record.levels).toBe(1);

    const refresh = recorded();
    const refreshed = await refresh.call(`${V2}${assignment}/actions/Submit/refresh`, {
      method: 'PATCH',
      headers: json(caller.token, { 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { Budget: '3' } }),
    });
    expect(refreshed.status).toBe(200);
    expect(refresh.record.levels).toBe(1);

    // Reads with a body, and the case action's refresh: one level each, nothing written.
    const bodyReads: [string, string, Record<string, string>, unknown][] = [
      [
        'POST',
        `${casePath(ID)}/views/pyReview/calculated_fields`,
        {},
        { calculations: { fields: [{ name: 'Budget', context: '' }] } },
      ],
      [
        'PATCH',
        `${casePath(ID)}/actions/pyUpdateCaseDetails/refresh`,
        { 'If-Match': '"1"' },
        { content: { Budget: '4' } },
      ],
      [
        'PATCH',
        `${casePath(ID)}/actions/pyUpdateCaseDetails/recalculate`,
        { 'If-Match': '"1"' },
        { content: {}, calculations: { fields: [{ name: 'Budget', context: '' }] } },
      ],
      [
        'PATCH',
        `${assignment}/actions/Submit/recalculate`,
        { 'If-Match': '"1"' },
        { calculations: { fields: [] } },
      ],
      ['POST', '/cases/bulk-actions', {}, { cases: [{ ID }] }],
      ['GET', `${casePath(ID)}/ancestors`, {}, undefined],
      ['GET', `${casePath(ID)}/descendants`, {}, undefined],
      ['GET', `/casetypes/${typeId}/bulk-actions/pyUpdateCaseDetails`, {}, undefined],
    ];
    for (const [method, path, headers, body] of bodyReads) {
      const { record, call } = recorded();
      const response = await call(`${V2}${path}`, {
        method,
        headers: json(caller.token, headers),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      expect(response.status, path).toBe(200);
      expect(record.levels, path).toBe(1);
    }

    const edit = recorded();
    const edited = await edit.call(`${V2}${casePath(ID)}/actions/pyUpdateCaseDetails`, {
      method: 'PATCH',
      headers: json(caller.token, { 'If-Match': '"1"' }),
      body: JSON.stringify({ content: { Budget: '7' } }),
    });
    expect(edited.status).toBe(200);
    expect(edit.record.levels).toBe(1);

    // Save for later: the assignment beside the bearer check, then its guarded write.
    const save = recorded();
    const saved = await save.call(`${V2}${assignment}/actions/Submit/save`, {
      method: 'PATCH',
      headers: json(caller.token, { 'If-Match': '"2"' }),
      body: JSON.stringify({ content: { RequestDetail: 'saved' } }),
    });
    expect(saved.status).toBe(200);
    expect(save.record.levels).toBe(2);

    // Bulk: one batch reads every case, one batch writes them, whatever their number.
    const others = await Promise.all(
      [1, 2, 3].map(async () => {
        const made = await callWithEnv({}, `${V2}/cases`, createInit(caller, typeId));
        return (await made.json<{ ID: string }>()).ID;
      }),
    );
    const bulk = recorded();
    const bulked = await bulk.call(`${V2}/cases?actionID=pyUpdateCaseDetails`, {
      method: 'PATCH',
      headers: json(caller.token),
      body: JSON.stringify({ cases: others.map((id) => ({ ID: id })), content: { Budget: '5' } }),
    });
    expect(bulked.status).toBe(207);
    expect((await bulked.json<{ successCount: number }>()).successCount).toBe(3);
    expect(bulk.record.levels).toBe(2);

    const perform = recorded();
    const performed = await perform.call(`${V2}${assignment}/actions/Submit`, {
      method: 'PATCH',
      headers: json(caller.token, { 'If-Match': '"3"' }),
      body: JSON.stringify({ content: { RequestDetail: 'done' } }),
    });
    expect(performed.status).toBe(200);
    expect(perform.record.levels).toBe(2);
    expect(await performed.json()).toMatchObject({
      data: { caseInfo: { status: 'Resolved-Completed', content: { Budget: 7 } } },
    });
  });
});

describe('storage levels of the case life cycle (DX API v2)', () => {
  const V2 = '/prweb/api/application/v2';
  const json = (token: string, extra: Record<string, string> = {}) =>
    bearer(token, { 'Content-Type': 'application/json', 'x-origin-channel': 'Web', ...extra });

  it('starts a process, moves between screens and stages in two levels, and reads stages in one', async () => {
    const caller = await apiCaller();
    const ID = `Cnow-Trips-Work-${unique('Life')}`;
    const step = (id: string, nextScreen = false) => ({
      ID: id,
      name: id,
      fields: [{ name: 'RequestID' }],
      action: { ID: `Do${id}`, name: id },
      ...(nextScreen && { nextScreen }),
    });
    const defined = await admin('POST', '/casetypes', {
      ...caseTypeBody(ID),
      flow: [step('One'), step('Two', true), step('Three')],
      stages: [
        { ID: 'PRIM1', name: 'First', steps: ['One', 'Two'] },
        { ID: 'PRIM2', name: 'Second', steps: ['Three'] },
      ],
      processes: [{ ID: 'Extra', name: 'Extra', step: step('ExtraStep') }],
    });
    expect(defined.status).toBe(201);
    const created = await callWithEnv({}, `${V2}/cases`, createInit(caller, ID));
    const { ID: caseId } = await created.json<{ ID: string }>();
    const casePathOf = `${V2}${casePath(caseId)}`;
    const assignment = `${V2}/assignments/${encodeURIComponent(`ASSIGN-WORKLIST ${caseId}!PYSTARTCASE`)}`;
    const steps: [string, string, string, unknown][] = [
      ['POST', `${casePathOf}/processes/Extra`, '', undefined],
      ['PATCH', `${assignment}/actions/DoOne`, '"2"', { content: {} }],
      ['PATCH', `${assignment}/navigation_steps/previous`, '"3"', { content: {} }],
      ['POST', `${casePathOf}/stages/next`, '"4"', undefined],
    ];
    for (const [method, path, etag, body] of steps) {
      const { record, call } = recorded();
      const response = await call(path, {
        method,
        headers: json(caller.token, etag ? { 'If-Match': etag } : {}),
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      expect(response.status, path).toBe(200);
      expect(record.levels, path).toBe(2);
    }
    const { record, call } = recorded();
    expect((await call(`${casePathOf}/stages`, { headers: json(caller.token) })).status).toBe(200);
    expect(record.levels).toBe(1);
  });
});

describe('storage levels of collaboration on a case (DX API v2)', () => {
  const V2 = '/prweb/api/application/v2';

  it('reads and writes followers, tags and related cases in one level each', async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    const ids: string[] = [];
    for (const _ of [1, 2]) {
      const created = await callWithEnv({}, `${V2}/cases`, createInit(caller, typeId));
      ids.push((await created.json<{ ID: string }>()).ID);
    }
    const [id = '', other = ''] = ids;
    const at = `${V2}${casePath(id)}`;
    const steps: [string, string, unknown, number][] = [
      ['POST', `${at}/followers`, { users: [{ ID: caller.operatorID }] }, 201],
      ['GET', `${at}/followers`, undefined, 200],
      ['DELETE', `${at}/followers/${caller.operatorID}`, undefined, 200],
      ['POST', `${at}/tags`, { tags: [{ Name: 'Trip' }] }, 201],
      ['GET', `${at}/tags`, undefined, 200],
      ['GET', `${V2}/tags?searchFor=tr`, undefined, 200],
      ['DELETE', `${at}/tags/trip`, undefined, 200],
      ['POST', `${at}/related_cases`, { cases: [{ ID: other }] }, 201],
      ['GET', `${at}/related_cases`, undefined, 200],
      ['DELETE', `${at}/related_cases/${encodeURIComponent(other)}`, undefined, 200],
      ['POST', `${V2}/data_views/D_pyFollowedCases`, {}, 200],
    ];
    await expectOneLevelEach(caller.token, steps);
  });

  it("changes a linked attachment in one level; a download by Pega's link ID reads its record in one", async () => {
    const caller = await apiCaller();
    const typeId = await freshCaseType();
    const created = await callWithEnv({}, `${V2}/cases`, createInit(caller, typeId));
    const at = `${V2}${casePath((await created.json<{ ID: string }>()).ID)}`;
    const uploadId = await uploadNote(caller.token);
    const linked = await callWithEnv({}, `${at}/attachments`, {
      method: 'POST',
      headers: bearer(caller.token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ attachments: [{ type: 'File', ID: uploadId }] }),
    });
    const [{ ID: linkId }] = (await linked.json<{ attachments: [{ ID: string }] }>()).attachments;
    const change = recorded();
    const changed = await change.call(`${V2}/attachments/${encodeURIComponent(linkId)}`, {
      method: 'PATCH',
      headers: bearer(caller.token, { 'Content-Type': 'application/json' }),
      body: JSON.stringify({ name: 'Renamed' }),
    });
    expect(changed.status).toBe(200);
    expect(change.record.levels).toBe(1);
    // The record beside the bearer check; the object (R2, not recorded here) after it: its key
    // is the upload's ID, known from the record only (docs/choices.md).
    const fetched = recorded();
    const download = await fetched.call(`${V2}/attachments/${encodeURIComponent(linkId)}`, {
      headers: bearer(caller.token),
    });
    expect(download.status).toBe(200);
    expect(fetched.record.levels).toBe(1);
  });

  it('lists, reads and writes data records in one level each once the type is known', async () => {
    const privileges = ['casetypes:read', 'cases:read', 'data:read', 'data:write'];
    const caller = await apiCaller({ privileges });
    const segment = `Trip${crypto.randomUUID().slice(0, 8).replace(/-/g, '')}`;
    const defined = await admin('POST', '/datatypes', {
      ID: `Cnow-Trips-Data-${segment}`,
      name: 'Trips',
      keyField: 'Code',
      fields: [
        { name: 'Code', type: 'string' },
        { name: 'Label', type: 'string' },
      ],
    });
    expect(defined.status).toBe(201);
    const json = { 'Content-Type': 'application/json' };
    const warm = await callWithEnv({}, `${V2}/data/D_${segment}`, {
      method: 'POST',
      headers: bearer(caller.token, json),
      body: JSON.stringify({ data: { Code: 'A', Label: 'First' } }),
    });
    expect(warm.status).toBe(201);
    const keys = encodeURIComponent(JSON.stringify({ Code: 'B' }));
    const steps: [string, string, unknown, number][] = [
      ['GET', `${V2}/data_objects`, undefined, 200],
      ['POST', `${V2}/data_views/D_${segment}List`, {}, 200],
      ['POST', `${V2}/data/D_${segment}`, { data: { Code: 'B', Label: 'Second' } }, 201],
      ['GET', `${V2}/data_views/D_${segment}List?dataViewParameters=${keys}`, undefined, 200],
      ['PUT', `${V2}/data/D_${segment}`, { data: { Code: 'B', Label: 'Again' } }, 200],
      ['PATCH', `${V2}/data/D_${segment}`, { data: { Code: 'B', Label: 'Merged' } }, 200],
      ['DELETE', `${V2}/data/D_${segment}?dataViewParameters=${keys}`, undefined, 200],
    ];
    await expectOneLevelEach(caller.token, steps);
  });

  it('reads participants and changes them under If-Match in one level each', async () => {
    const caller = await apiCaller();
    const ID = `Cnow-Trips-Work-${unique('Party')}`;
    const defined = await admin('POST', '/casetypes', {
      ...caseTypeBody(ID),
      participantRoles: [{ ID: 'Owner', name: 'Owner' }],
    });
    expect(defined.status).toBe(201);
    const created = await callWithEnv({}, `${V2}/cases`, createInit(caller, ID));
    let etag = created.headers.get('ETag') as string;
    const at = `${V2}${casePath((await created.json<{ ID: string }>()).ID)}`;
    const steps: [string, string, unknown, number][] = [
      ['GET', `${at}/participant_roles`, undefined, 200],
      ['GET', `${at}/participant_roles/Owner`, undefined, 200],
      [
        'POST',
        `${at}/participants`,
        { content: { pyFirstName: 'A' }, participantRoleID: 'Owner' },
        201,
      ],
      ['GET', `${at}/participants`, undefined, 200],
      ['GET', `${at}/participants/Owner_01`, undefined, 200],
      ['PATCH', `${at}/participants/Owner_01`, { content: { pyLastName: 'B' } }, 200],
      ['DELETE', `${at}/participants/Owner_01`, undefined, 200],
    ];
    await expectOneLevelEach(
      caller.token,
      steps,
      (method): Record<string, string> => (method === 'GET' ? {} : { 'If-Match': etag }),
      (response) => {
        etag = response.headers.get('ETag') ?? etag;
      },
    );
  });
});

/** A temporary upload of a few bytes, by the caller: its ID. */
async function uploadNote(token: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob(['bytes']), 'note.txt');
  const uploaded = await callWithEnv({}, '/prweb/api/application/v2/attachments/upload', {
    method: 'POST',
    headers: bearer(token),
    body: form,
  });
  return (await uploaded.json<{ ID: string }>()).ID;
}

/** Each call in one storage level: method, path, JSON body (or none), the status it answers. */
async function expectOneLevelEach(
  token: string,
  steps: [string, string, unknown, number][],
  headersOf: (method: string) => Record<string, string> = () => ({}),
  after: (response: Response) => void = () => {},
) {
  for (const [method, path, body, status] of steps) {
    const { record, call } = recorded();
    const response = await call(path, {
      method,
      headers: bearer(token, { 'Content-Type': 'application/json', ...headersOf(method) }),
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBe(status);
    expect(record.levels, `${method} ${path}`).toBe(1);
    after(response);
  }
}

/** A case type no request in this isolate has read yet: its first create is cold. */
function caseTypeBody(id: string) {
  return {
    ID: id,
    name: 'Round trips',
    idPrefix: `${id.slice(-3)}-`,
    startingProcesses: [{ ID: 'pyStartCase', name: 'Create' }],
    fields: [
      { name: 'RequestID', type: 'string', maxLength: 64 },
      { name: 'RequestDetail', type: 'string', maxLength: 2000 },
      { name: 'Budget', type: 'number' },
    ],
  };
}

let types = 0;
async function freshCaseType(): Promise<string> {
  types += 1;
  const id = `Cnow-Trips-Work-T${crypto.randomUUID().slice(0, 6)}${String.fromCharCode(65 + types)}Q${types}`;
  const response = await admin('POST', '/casetypes', caseTypeBody(id));
  expect(response.status).toBe(201);
  return id;
}

function createInit(
  caller: { token: string },
  caseTypeID: string,
  headers: Record<string, string> = {},
  content: Record<string, string> = { RequestID: 'R1', RequestDetail: 'x' },
): RequestInit {
  return {
    method: 'POST',
    headers: bearer(caller.token, { 'Content-Type': 'application/json', ...headers }),
    body: JSON.stringify({ caseTypeID, content }),
  };
}

/**
 * D1 that runs `change` just before the batch that writes a case runs: after the request was
 * authorized where the write takes a second level, or between the bearer's verification and
 * the batch where it takes one. Either way only the write's own SQL guard can stop it.
 */
function changingBeforeTheWrite(change: (db: D1Database) => Promise<unknown>) {
  const { db, ran } = aroundBatch(/^\s*(INSERT INTO cases|UPDATE cases)/, 'before', change);
  return { db, wasChanged: ran };
}

/** changingBeforeTheWrite, disabling the client. */
function disablingBeforeTheWrite(clientId: string) {
  const { db, wasChanged } = changingBeforeTheWrite((real) =>
    real.prepare('UPDATE clients SET enabled = 0 WHERE id = ?').bind(clientId).run(),
  );
  return { db, wasDisabled: wasChanged };
}

describe('writes hold only while the principal does', () => {
  it('creates nothing, spends no case number, when the client is disabled before the write', async () => {
    for (const warm of [false, true]) {
      const caller = await apiCaller();
      const typeId = await freshCaseType();
      if (warm) {
        expect((await callWithEnv({}, '/api/v1/cases', createInit(caller, typeId))).status).toBe(
          201,
        );
      }
      const before = await countRows('cases');
      const prefix = `${typeId.slice(-3)}-`;
      const counter = await env.DB.prepare('SELECT last FROM case_counters WHERE prefix = ?')
        .bind(prefix)
        .first();
      const { db, wasDisabled } = disablingBeforeTheWrite(caller.clientID);
      const response = await callWithEnv({ DB: db }, '/api/v1/cases', createInit(caller, typeId));
      expect(wasDisabled()).toBe(true);
      expect(response.status).toBe(401);
      expect(response.headers.get('WWW-Authenticate')).toMatch(/invalid_token/);
      expect(await countRows('cases')).toBe(before);
      expect(
        await env.DB.prepare('SELECT last FROM case_counters WHERE prefix = ?')
          .bind(prefix)
          .first(),
      ).toEqual(counter);
    }
  });

  it('updates nothing when the client is disabled before the write', async () => {
    const caller = await apiCaller();
    const created = await createCase(caller);
    const { db, wasDisabled } = disablingBeforeTheWrite(caller.clientID);
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

describe('the two-level write path holds the same guard (security review 3)', () => {
  /** What an admin (or a revocation) may change while a request is between its levels. */
  const changes = (caller: { clientID: string; operatorID: string; token: string }) => ({
    'privileges narrowed': (db: D1Database) =>
      db
        .prepare(`UPDATE operators SET privileges = '["casetypes:read","cases:read"]' WHERE id = ?`)
        .bind(caller.operatorID)
        .run(),
    'client scopes narrowed': (db: D1Database) =>
      db
        .prepare(`UPDATE clients SET scopes = '["cases:read"]' WHERE id = ?`)
        .bind(caller.clientID)
        .run(),
    'case types narrowed': (db: D1Database) =>
      db
        .prepare(`UPDATE operators SET case_types = '["Nothing-Else-Work-X"]' WHERE id = ?`)
        .bind(caller.operatorID)
        .run(),
    'token revoked': (db: D1Database) => {
      const claims = JSON.parse(
        atob((caller.token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/')),
      );
      return db
        .prepare('INSERT INTO revoked_tokens (jti, client_id, expires_at) VALUES (?, ?, ?)')
        .bind(claims.jti, caller.clientID, claims.exp)
        .run();
    },
  });

  it('creates nothing with an Idempotency-Key or a parent case once the principal changed', async () => {
    const parent = await createCase(await apiCaller());
    for (const name of Object.keys(changes({ clientID: '', operatorID: '', token: 'a.e30.c' }))) {
      for (const twoLevel of ['Idempotency-Key', 'parent case']) {
        const caller = await apiCaller({ caseVisibility: 'all' });
        const typeId = await freshCaseType();
        const init =
          twoLevel === 'Idempotency-Key'
            ? createInit(caller, typeId, { 'Idempotency-Key': crypto.randomUUID() })
            : {
                ...createInit(caller, typeId),
                body: JSON.stringify({
                  caseTypeID: typeId,
                  parentCaseID: parent.ID,
                  content: { RequestID: 'R1', RequestDetail: 'x' },
                }),
              };
        const before = await countRows('cases');
        const { db, wasChanged } = changingBeforeTheWrite(
          changes(caller)[name as keyof ReturnType<typeof changes>],
        );
        const response = await callWithEnv({ DB: db }, '/api/v1/cases', init);
        expect(wasChanged(), `${name}, ${twoLevel}`).toBe(true);
        expect(response.status, `${name}, ${twoLevel}`).toBe(401);
        expect(await countRows('cases'), `${name}, ${twoLevel}`).toBe(before);
      }
    }
  });

  it('creates nothing with a parent case the operator stopped seeing', async () => {
    const caller = await apiCaller({ caseVisibility: 'all' });
    const parent = await createCase(await apiCaller());
    const before = await countRows('cases');
    const { db, wasChanged } = changingBeforeTheWrite((real) =>
      real
        .prepare(`UPDATE operators SET case_visibility = 'own' WHERE id = ?`)
        .bind(caller.operatorID)
        .run(),
    );
    const response = await callWithEnv({ DB: db }, '/api/v1/cases', {
      ...createInit(caller, seedCase.caseTypeID),
      body: JSON.stringify({ ...seedCase, parentCaseID: parent.ID }),
    });
    expect(wasChanged()).toBe(true);
    expect(response.status).toBe(401);
    expect(await countRows('cases')).toBe(before);
  });

  it('submits nothing once the principal changed between the read and the write', async () => {
    for (const name of Object.keys(changes({ clientID: '', operatorID: '', token: 'a.e30.c' }))) {
      const caller = await apiCaller();
      const created = await createCase(caller);
      const { db, wasChanged } = changingBeforeTheWrite(
        changes(caller)[name as keyof ReturnType<typeof changes>],
      );
      const assignment = encodeURIComponent(`ASSIGN-WORKLIST ${created.ID}!PYSTARTCASE`);
      const response = await callWithEnv(
        { DB: db },
        `/api/v1/assignments/${assignment}?actionID=Submit`,
        {
          method: 'POST',
          headers: bearer(caller.token, { 'Content-Type': 'application/json' }),
          body: JSON.stringify({ content: {} }),
        },
      );
      expect(wasChanged(), name).toBe(true);
      expect(response.status, name).toBeGreaterThanOrEqual(400);
      const row = await env.DB.prepare('SELECT version, step_index FROM cases WHERE id = ?')
        .bind(created.ID)
        .first();
      expect(row, name).toEqual({ version: 1, step_index: 0 });
    }
  });
});
