import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CaseInfo, dx, expectDxError } from './dx-helpers';
import { type ApiCaller, admin, apiCaller, flowRequestType } from './helpers';

/**
 * Collaboration on a case in DX API v2 (followers, tags, related cases), as pega-dx-mcp's tools
 * call it: each effect read back through the API, each refusal changing nothing.
 */

let type: ReturnType<typeof flowRequestType>;
let caller: ApiCaller;
let other: ApiCaller;
beforeAll(async () => {
  type = flowRequestType('Cnow-Collab-Work-', 'CO-');
  expect((await admin('POST', '/casetypes', type)).status).toBe(201);
  [caller, other] = await Promise.all([apiCaller(), apiCaller()]);
});

const path = (id: string, rest = '') => `/cases/${encodeURIComponent(id)}${rest}`;

async function create(who: ApiCaller = caller) {
  const response = await dx(who, 'POST', '/cases?viewType=none', {
    caseTypeID: type.ID,
    content: {},
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { ID: string }).ID;
}

const historyOf = async (id: string, action: string) =>
  (
    await env.DB.prepare(
      "SELECT detail FROM audit_log WHERE target_type = 'case' AND target_id = ? AND action = ?",
    )
      .bind(id, action)
      .all<{ detail: string }>()
  ).results.map((row) => JSON.parse(row.detail));

const rowsOf = async (table: string, id: string) =>
  (await env.DB.prepare(`SELECT * FROM ${table} WHERE case_id = ?`).bind(id).all()).results;

describe('DX API v2: followers', () => {
  it('adds an operator, lists it, says so in caseInfo, and removes it', async () => {
    const id = await create();
    const added = await dx(caller, 'POST', path(id, '/followers'), {
      users: [{ ID: other.operatorID }],
    });
    expect(added.status).toBe(201);
    expect(await added.json()).toEqual({ results: [{ ID: other.operatorID, status: '201' }] });
    const listed = await dx(caller, 'GET', path(id, '/followers'));
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({
      followers: [{ ID: other.operatorID, name: expect.any(String), email: '' }],
    });
    expect(await historyOf(id, 'case.followers.add')).toEqual([{ followers: [other.operatorID] }]);

    const read = async () =>
      (await (await dx(caller, 'GET', path(id))).json<{ data: { caseInfo: CaseInfo } }>()).data
        .caseInfo as CaseInfo & { associations: { follows: boolean } };
    expect((await read()).associations).toEqual({ follows: false });
    expect(
      (
        await dx(caller, 'POST', path(id, '/followers'), {
          users: [{ ID: caller.operatorID }],
        })
      ).status,
    ).toBe(201);
    expect((await read()).associations).toEqual({ follows: true });

    const removed = await dx(caller, 'DELETE', path(id, `/followers/${other.operatorID}`));
    expect(removed.status).toBe(200);
    await expectDxError(
      await dx(caller, 'DELETE', path(id, `/followers/${other.operatorID}`)),
      404,
    );
    expect((await rowsOf('case_followers', id)).map((row) => row.operator_id)).toEqual([
      caller.operatorID,
    ]);
    expect(await historyOf(id, 'case.followers.remove')).toEqual([
      { followers: [other.operatorID] },
    ]);
  });

  it('refuses a follower twice (409) and an unknown operator (400); several users get 207', async () => {
    const id = await create();
    const follow = (users: string[]) =>
      dx(caller, 'POST', path(id, '/followers'), { users: users.map((ID) => ({ ID })) });
    expect((await follow([other.operatorID])).status).toBe(201);
    const again = await follow([other.operatorID]);
    await expectDxError(again, 409);
    await expectDxError(await follow(['NOBODY@EXAMPLE']), 400);

    const mixed = await follow([caller.operatorID, other.operatorID, 'NOBODY@EXAMPLE']);
    expect(mixed.status).toBe(207);
    expect(await mixed.json()).toEqual({
      results: [
        { ID: caller.operatorID, status: '201' },
        {
          ID: other.operatorID,
          status: '409',
          error: `User ${other.operatorID} is already a follower`,
        },
        { ID: 'NOBODY@EXAMPLE', status: '400', error: 'User NOBODY@EXAMPLE is not valid' },
      ],
    });
    expect(await rowsOf('case_followers', id)).toHaveLength(2);
    const tooMany = Array.from({ length: 51 }, (_, n) => `U${n}`);
    await expectDxError(await follow(tooMany), 400);
  });

  it('answers 404 for a case the caller cannot see and writes nothing; needs cases:update', async () => {
    const id = await create();
    const stranger = await dx(other, 'POST', path(id, '/followers'), {
      users: [{ ID: other.operatorID }],
    });
    await expectDxError(stranger, 404);
    await expectDxError(await dx(other, 'GET', path(id, '/followers')), 404);
    const reader = await apiCaller({ privileges: ['cases:read'] });
    const refused = await dx(reader, 'POST', path(id, '/followers'), {
      users: [{ ID: caller.operatorID }],
    });
    expect(refused.status).toBe(403);
    expect(await rowsOf('case_followers', id)).toEqual([]);
    expect(await historyOf(id, 'case.followers.add')).toEqual([]);
  });

  it('lists the caller’s followed cases in D_pyFollowedCases, queryable like the others', async () => {
    const follower = await apiCaller({ caseVisibility: 'all' });
    const [first, second] = [await create(), await create()];
    for (const id of [first, second]) {
      const response = await dx(caller, 'POST', path(id, '/followers'), {
        users: [{ ID: follower.operatorID }],
      });
      expect(response.status).toBe(201);
    }
    const all = await dx(follower, 'POST', '/data_views/D_pyFollowedCases', {});
    expect(all.status).toBe(200);
    const rows = (await all.json<{ data: { pzInsKey: string }[] }>()).data.map(
      (row) => row.pzInsKey,
    );
    expect(rows).toEqual([second, first]);
    const filtered = await dx(follower, 'POST', '/data_views/D_pyFollowedCases', {
      query: {
        select: [{ field: 'pzInsKey' }],
        filter: {
          filterConditions: {
            F1: { lhs: { field: 'pzInsKey' }, comparator: 'EQ', rhs: { value: first } },
          },
          logic: 'F1',
        },
      },
    });
    expect(filtered.status).toBe(200);
    expect((await filtered.json<{ data: unknown[] }>()).data).toEqual([{ pzInsKey: first }]);
    const count = await dx(follower, 'POST', '/data_views/D_pyFollowedCases/count', {});
    expect((await count.json<{ resultCount: number }>()).resultCount).toBe(2);
    // Another operator's followed cases are its own.
    const theirs = await dx(other, 'POST', '/data_views/D_pyFollowedCases', {});
    expect((await theirs.json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it('goes with its case when the case is deleted', async () => {
    const id = await create();
    await dx(caller, 'POST', path(id, '/followers'), { users: [{ ID: caller.operatorID }] });
    await dx(caller, 'POST', path(id, '/tags'), { tags: [{ Name: 'gone' }] });
    const deleted = await dx(caller, 'DELETE', path(id));
    expect(deleted.status).toBe(200);
    expect(await rowsOf('case_followers', id)).toEqual([]);
    expect(await rowsOf('case_tags', id)).toEqual([]);
  });
});

describe('DX API v2: tags', () => {
  it('stores names lower-cased under Pega’s keys, re-adds as a no-op, and removes by key', async () => {
    const id = await create();
    const added = await dx(caller, 'POST', path(id, '/tags'), {
      tags: [{ Name: 'Pothole' }, { Name: '  Night   Shift ' }],
    });
    expect(added.status).toBe(201);
    const pool = id.split(' ')[0];
    expect(await added.json()).toEqual({
      results: [
        { ID: `DATA-SOCIAL-TAG ${pool}!POTHOLE`, status: '201' },
        { ID: `DATA-SOCIAL-TAG ${pool}!NIGHT SHIFT`, status: '201' },
      ],
    });
    const again = await dx(caller, 'POST', path(id, '/tags'), { tags: [{ Name: 'POTHOLE' }] });
    expect(again.status).toBe(201);
    const listed = await dx(caller, 'GET', path(id, '/tags'));
    expect(await listed.json()).toEqual({
      // Added together: in name order.
      tagsList: [
        { tagName: 'night shift', tagKey: `DATA-SOCIAL-TAG ${pool}!NIGHT SHIFT` },
        { tagName: 'pothole', tagKey: `DATA-SOCIAL-TAG ${pool}!POTHOLE` },
      ],
    });
    const key = encodeURIComponent(`DATA-SOCIAL-TAG ${pool}!POTHOLE`);
    expect((await dx(caller, 'DELETE', path(id, `/tags/${key}`))).status).toBe(200);
    await expectDxError(await dx(caller, 'DELETE', path(id, `/tags/${key}`)), 404);
    expect((await (await dx(caller, 'GET', path(id, '/tags'))).json()) as object).toEqual({
      tagsList: [{ tagName: 'night shift', tagKey: `DATA-SOCIAL-TAG ${pool}!NIGHT SHIFT` }],
    });
    expect(await historyOf(id, 'case.tags.add')).toHaveLength(1);
  });

  it('suggests known tags by prefix, and refuses empty, long and too many names', async () => {
    const id = await create();
    const prefix = `zz${crypto.randomUUID().slice(0, 6)}`;
    await dx(caller, 'POST', path(id, '/tags'), {
      tags: [{ Name: `${prefix}-b` }, { Name: `${prefix}-a` }, { Name: 'other' }],
    });
    const found = await dx(caller, 'GET', `/tags?searchFor=${prefix.toUpperCase()}&listSize=5`);
    expect(found.status).toBe(200);
    expect(await found.json()).toEqual({
      tagsList: [{ tagName: `${prefix}-a` }, { tagName: `${prefix}-b` }],
    });
    await expectDxError(await dx(caller, 'GET', '/tags?listSize=0'), 400);
    await expectDxError(
      await dx(caller, 'POST', path(id, '/tags'), { tags: [{ Name: ' \u202e ' }] }),
      400,
    );
    await expectDxError(
      await dx(caller, 'POST', path(id, '/tags'), { tags: [{ Name: 'x'.repeat(65) }] }),
      400,
    );
    const many = Array.from({ length: 51 }, (_, n) => ({ Name: `t${n}` }));
    await expectDxError(await dx(caller, 'POST', path(id, '/tags'), { tags: many }), 400);
    expect(await rowsOf('case_tags', id)).toHaveLength(3);
  });
});

describe('DX API v2: related cases', () => {
  it('relates visible cases, never itself, and lists one the caller cannot open by ID and status', async () => {
    const [id, related] = [await create(), await create()];
    const theirs = await create(other);
    const response = await dx(caller, 'POST', path(id, '/related_cases'), {
      cases: [{ ID: related }, { ID: id }, { ID: theirs }, { ID: 'CNOW NO-1' }],
    });
    expect(response.status).toBe(207);
    expect(await response.json()).toEqual({
      // In the order the request named them.
      results: [
        { ID: related, status: '201' },
        { ID: id, status: '400', error: 'A case cannot be related to itself' },
        { ID: theirs, status: '404', error: `Case ${theirs} not found` },
        { ID: 'CNOW NO-1', status: '404', error: 'Case CNOW NO-1 not found' },
      ],
    });
    await expectDxError(
      await dx(caller, 'POST', path(id, '/related_cases'), { cases: [{ ID: related }] }),
      409,
    );
    await expectDxError(
      await dx(caller, 'POST', path(id, '/related_cases'), { cases: [{ ID: id }] }),
      400,
    );
    const listed = await dx(caller, 'GET', path(id, '/related_cases'));
    expect(await listed.json()).toEqual({
      relatedCases: [
        {
          ID: related,
          name: type.name,
          status: 'New',
          caseTypeName: type.name,
          links: { open: expect.objectContaining({ href: path(related), type: 'GET' }) },
        },
      ],
    });

    // An operator that sees every case relates the caller's case to its own.
    const overseer = await apiCaller({ caseVisibility: 'all' });
    const relate = await dx(overseer, 'POST', path(id, '/related_cases'), {
      cases: [{ ID: theirs }],
    });
    expect(relate.status).toBe(201);
    const seen = await dx(caller, 'GET', path(id, '/related_cases'));
    expect((await seen.json<{ relatedCases: unknown[] }>()).relatedCases[1]).toEqual({
      ID: theirs,
      status: 'New',
    });

    expect(
      (await dx(caller, 'DELETE', path(id, `/related_cases/${encodeURIComponent(related)}`)))
        .status,
    ).toBe(200);
    await expectDxError(
      await dx(caller, 'DELETE', path(id, `/related_cases/${encodeURIComponent(related)}`)),
      404,
    );
    expect(await historyOf(id, 'case.relations.remove')).toEqual([{ relations: [related] }]);
  });
});

describe('DX API v2: participants', () => {
  let roled: ReturnType<typeof flowRequestType>;
  beforeAll(async () => {
    roled = {
      ...flowRequestType('Cnow-Party-Work-', 'PA-'),
      participantRoles: [
        { ID: 'Customer', name: 'Customer', single: true },
        { ID: 'Owner', name: 'Owner' },
      ],
    } as ReturnType<typeof flowRequestType>;
    expect((await admin('POST', '/casetypes', roled)).status).toBe(201);
  });

  async function createRoled() {
    const response = await dx(caller, 'POST', '/cases?viewType=none', { caseTypeID: roled.ID });
    expect(response.status).toBe(201);
    return {
      id: ((await response.json()) as { ID: string }).ID,
      etag: response.headers.get('ETag') as string,
    };
  }

  it('lists roles and a role form, adds, reads, merges and removes participants under If-Match', async () => {
    const { id, etag } = await createRoled();
    const roles = await dx(caller, 'GET', path(id, '/participant_roles'));
    expect(await roles.json()).toEqual({
      participant_roles: [
        { ID: 'Customer', name: 'Customer' },
        { ID: 'Owner', name: 'Owner' },
      ],
    });
    const form = await dx(caller, 'GET', path(id, '/participant_roles/Owner'));
    expect(form.status).toBe(200);
    const formBody = await form.json<{
      data: { content: Record<string, string> };
      uiResources: unknown;
    }>();
    expect(formBody.data.content).toMatchObject({ pyFirstName: '', participantRoleID: 'Owner' });
    expect(formBody.uiResources).toBeDefined();
    await expectDxError(await dx(caller, 'GET', path(id, '/participant_roles/Nobody')), 404);

    const add = (role: string, content: Record<string, string>, ifMatch: string) =>
      dx(
        caller,
        'POST',
        path(id, '/participants?viewType=none'),
        { content, participantRoleID: role },
        { 'If-Match': ifMatch },
      );
    const first = await add(
      'Owner',
      { pyFirstName: 'Ada', pyLastName: 'Lovelace', pyEmail1: 'ada@example.com' },
      etag,
    );
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      data: {
        content: {
          participantID: 'Owner_01',
          participantRoleID: 'Owner',
          pyFirstName: 'Ada',
          pyLastName: 'Lovelace',
          pyEmail1: 'ada@example.com',
          pyFullName: 'Ada Lovelace',
        },
      },
    });
    const second = await add(
      'Owner',
      { pyFirstName: 'Grace' },
      first.headers.get('ETag') as string,
    );
    expect(second.status).toBe(201);
    const customer = await add(
      'Customer',
      { pyLastName: 'Hopper', pyPhoneNumber: '+1 (555) 010-2000' },
      second.headers.get('ETag') as string,
    );
    expect(customer.status).toBe(201);
    let current = customer.headers.get('ETag') as string;
    // A one-holder role refuses a second participant; a role the type lacks is 400.
    await expectDxError(await add('Customer', { pyFirstName: 'Two' }, current), 409);
    await expectDxError(await add('Nobody', { pyFirstName: 'X' }, current), 400);
    // A stale ETag and a missing one.
    await expectDxError(await add('Owner', { pyFirstName: 'X' }, etag), 409);
    const missing = await dx(caller, 'POST', path(id, '/participants'), {
      content: {},
      participantRoleID: 'Owner',
    });
    await expectDxError(missing, 428);

    const listed = await dx(caller, 'GET', path(id, '/participants'));
    const list = (
      await listed.json<{ data: { content: { pyParticipants: { participantID: string }[] } } }>()
    ).data.content.pyParticipants;
    expect(list.map((row) => row.participantID)).toEqual(['Owner_01', 'Owner_02', 'Customer']);

    const patched = await dx(
      caller,
      'PATCH',
      path(id, '/participants/Owner_01?viewType=none'),
      { content: { pyEmail1: null, pyTitle: 'Countess' } },
      { 'If-Match': current },
    );
    expect(patched.status).toBe(200);
    expect(
      (await patched.json<{ data: { content: Record<string, string> } }>()).data.content,
    ).toEqual({
      participantID: 'Owner_01',
      participantRoleID: 'Owner',
      pyFirstName: 'Ada',
      pyLastName: 'Lovelace',
      pyTitle: 'Countess',
      pyFullName: 'Ada Lovelace',
    });
    current = patched.headers.get('ETag') as string;
    const one = await dx(caller, 'GET', path(id, '/participants/Owner_01'));
    expect(one.status).toBe(200);
    expect((await one.json<{ uiResources?: unknown }>()).uiResources).toBeDefined();

    const removed = await dx(caller, 'DELETE', path(id, '/participants/Owner_01'), undefined, {
      'If-Match': current,
    });
    expect(removed.status).toBe(200);
    current = removed.headers.get('ETag') as string;
    await expectDxError(
      await dx(caller, 'DELETE', path(id, '/participants/Owner_01'), undefined, {
        'If-Match': current,
      }),
      404,
    );
    // The next Owner is numbered after the highest there is.
    const third = await add('Owner', { pyFirstName: 'Third' }, current);
    expect(
      (await third.json<{ data: { content: { participantID: string } } }>()).data.content
        .participantID,
    ).toBe('Owner_03');
    expect(
      (await historyOf(id, 'case.participants.add')).map((detail) => detail.participant),
    ).toEqual(['Owner', 'Owner', 'Customer', 'Owner']);
    expect(await historyOf(id, 'case.participants.remove')).toEqual([{ participant: 'Owner_01' }]);
  });

  it('takes back a role form as it was read (blanks, and the names it showed)', async () => {
    const { id, etag } = await createRoled();
    const form = await dx(caller, 'GET', path(id, '/participant_roles/Owner'));
    const { content } = (await form.json<{ data: { content: Record<string, string> } }>()).data;
    const added = await dx(
      caller,
      'POST',
      path(id, '/participants?viewType=none'),
      { content: { ...content, pyFirstName: 'Blank' }, participantRoleID: 'Owner' },
      { 'If-Match': etag },
    );
    expect(added.status).toBe(201);
    const shown = (await added.json<{ data: { content: Record<string, string> } }>()).data.content;
    expect(shown).toEqual({
      participantID: 'Owner_01',
      participantRoleID: 'Owner',
      pyFirstName: 'Blank',
      pyFullName: 'Blank',
    });
    // What a read showed, sent back with a change: a blank removes a field.
    const updated = await dx(
      caller,
      'PATCH',
      path(id, '/participants/Owner_01?viewType=none'),
      { content: { ...shown, pyFirstName: '', pyLastName: 'Only' } },
      { 'If-Match': added.headers.get('ETag') as string },
    );
    expect(updated.status).toBe(200);
    expect((await updated.json<{ data: { content: object } }>()).data.content).toEqual({
      participantID: 'Owner_01',
      participantRoleID: 'Owner',
      pyLastName: 'Only',
      pyFullName: 'Blank',
    });
  });

  it('refuses malformed Data-Party content and changes nothing', async () => {
    const { id, etag } = await createRoled();
    const bad: Record<string, string>[] = [
      { pyEmail1: 'not-an-address' },
      { pyFirstName: 'x'.repeat(65) },
      { pyPhoneNumber: 'call me' },
      { pyFirstName: 'a\u0007b' },
      { pxSecret: 'x' },
    ];
    for (const content of bad) {
      const response = await dx(
        caller,
        'POST',
        path(id, '/participants'),
        { content, participantRoleID: 'Owner' },
        { 'If-Match': etag },
      );
      await expectDxError(response, 400);
    }
    expect(await rowsOf('case_participants', id)).toEqual([]);
    const read = await dx(caller, 'GET', path(id));
    expect(read.headers.get('ETag')).toBe(etag);
    // Another operator cannot see the case: 404, nothing written.
    const stranger = await dx(
      other,
      'POST',
      path(id, '/participants'),
      { content: { pyFirstName: 'X' }, participantRoleID: 'Owner' },
      { 'If-Match': etag },
    );
    await expectDxError(stranger, 404);
    expect(await rowsOf('case_participants', id)).toEqual([]);
  });
});

describe('DX API v2: documents', () => {
  it('answers 404 for any document: no DX call creates one', async () => {
    const id = await create();
    await expectDxError(await dx(caller, 'GET', '/documents/PEGASOCIAL-DOCUMENT%20DOC-1'), 404);
    await expectDxError(
      await dx(caller, 'DELETE', path(id, '/documents/PEGASOCIAL-DOCUMENT%20DOC-1')),
      404,
    );
  });
});
