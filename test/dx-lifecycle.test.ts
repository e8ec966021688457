import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DxAnswer, dx, expectDxError } from './dx-helpers';
import {
  type ApiCaller,
  admin,
  api,
  apiCaller,
  casePath,
  flowRequestType,
  unique,
} from './helpers';

/**
 * DX API v2's case life cycle beyond a flow of steps, as pega-dx-mcp's tools call it: saves and
 * navigation of an assignment, recalculation, a case's family, and bulk actions.
 */

let type: ReturnType<typeof flowRequestType>;
let caller: ApiCaller;
beforeAll(async () => {
  type = flowRequestType('Cnow-Life-Work-', 'L-');
  expect((await admin('POST', '/casetypes', type)).status).toBe(201);
  caller = await apiCaller();
});

const encoded = (id: string) => encodeURIComponent(id);

async function create(
  who: ApiCaller = caller,
  content: Record<string, unknown> = {},
  parentCaseID?: string,
) {
  const response = await dx(who, 'POST', '/cases?viewType=none', {
    caseTypeID: type.ID,
    content,
    ...(parentCaseID && { parentCaseID }),
  });
  expect(response.status).toBe(201);
  const body = await response.json<DxAnswer>();
  return { id: body.ID as string, assignment: body.nextAssignmentInfo?.ID as string };
}

const caseRow = (id: string) =>
  env.DB.prepare('SELECT content, version, step_index FROM cases WHERE id = ?')
    .bind(id)
    .first<{ content: string; version: number; step_index: number | null }>();

const historyOf = async (id: string) =>
  (
    await env.DB.prepare(
      "SELECT action, detail FROM audit_log WHERE target_type = 'case' AND target_id = ? ORDER BY id",
    )
      .bind(id)
      .all<{ action: string; detail: string }>()
  ).results;

describe('DX API v2: saving an assignment for later, and its navigation', () => {
  it('saves without the required checks, keeps the step open, and refuses what Pega refuses', async () => {
    const { id, assignment } = await create(caller, { RequestID: 'SAVE1' });
    const save = (body: unknown, etag: string | null, action = 'SubmitRequest') =>
      dx(
        caller,
        'PATCH',
        `/assignments/${encoded(assignment)}/actions/${action}/save`,
        body,
        etag === null ? {} : { 'If-Match': etag },
      );
    // RequestDetail is required by the step: a save leaves it blank.
    const saved = await save({ content: { Budget: 250 } }, '"1"');
    expect(saved.status).toBe(200);
    expect(saved.headers.get('ETag')).toBe('"2"');
    const body = await saved.json<DxAnswer>();
    expect(body.data.caseInfo.content.Budget).toBe(250);
    expect(body.data.caseInfo.assignments[0]).toMatchObject({ ID: assignment });
    expect(body.data.caseInfo.assignments[0]).toHaveProperty('isMultiStep', 'false');
    expect(body.uiResources?.root.config.name).toBe('SubmitRequest');
    expect((await caseRow(id))?.step_index).toBe(0);
    expect((await historyOf(id)).map((row) => row.action)).toContain('case.save');

    // Refused, nothing written: stale, missing If-Match, a type error, an action not offered.
    await expectDxError(await save({ content: { Budget: 1 } }, '"1"'), 409);
    await expectDxError(await save({ content: { Budget: 1 } }, null), 428);
    const typed = await expectDxError(await save({ content: { Budget: 'many' } }, '"2"'), 422);
    expect(
      typed.errorDetails.some((item) => item.erroneousInputOutputIdentifier === '.Budget'),
    ).toBe(true);
    await expectDxError(await save({ content: {} }, '"2"', 'ApproveRequest'), 404);
    expect((await caseRow(id))?.version).toBe(2);
    // Someone else's assignment: 404.
    const other = await dx(
      await apiCaller(),
      'PATCH',
      `/assignments/${encoded(assignment)}/actions/SubmitRequest/save`,
      { content: {} },
      { 'If-Match': '"2"' },
    );
    await expectDxError(other, 404);
  });

  it('answers navigation on a one-screen assignment as Pega does, writing nothing', async () => {
    const { id, assignment } = await create(caller, { RequestID: 'NAV1' });
    const navigate = (step: string, etag = '"1"') =>
      dx(
        caller,
        'PATCH',
        `/assignments/${encoded(assignment)}/navigation_steps/${step}`,
        { content: { Budget: 9 } },
        { 'If-Match': etag },
      );
    await expectDxError(await navigate('previous'), 422);
    await expectDxError(await navigate('AssignmentSF1'), 409);
    await expectDxError(await navigate('AssignmentSF7'), 404);
    await expectDxError(await navigate('previous', '"5"'), 409);
    const row = await caseRow(id);
    expect(row?.version).toBe(1);
    expect(JSON.parse(row?.content ?? '{}')).not.toHaveProperty('Budget');
  });
});

describe('DX API v2: refresh and recalculation, nothing saved', () => {
  it('recalculates an assignment and a case action, and reads calculated fields of a view', async () => {
    const { id, assignment } = await create(caller, { RequestID: 'CALC1', Budget: 10 });
    const calculations = { fields: [{ name: 'Budget', context: '' }], whens: [] };
    const recalculated = await dx(
      caller,
      'PATCH',
      `/assignments/${encoded(assignment)}/actions/SubmitRequest/recalculate`,
      { content: { Budget: 12 }, calculations },
      { 'If-Match': '"1"' },
    );
    expect(recalculated.status).toBe(200);
    expect((await recalculated.json<DxAnswer>()).data.caseInfo.content.Budget).toBe(12);

    for (const verb of ['refresh', 'recalculate']) {
      const answer = await dx(
        caller,
        'PATCH',
        `${casePath(id)}/actions/pyUpdateCaseDetails/${verb}`,
        { content: { Priority: 'high' }, ...(verb === 'recalculate' && { calculations }) },
        { 'If-Match': '"1"' },
      );
      expect(answer.status, verb).toBe(200);
      const body = await answer.json<DxAnswer>();
      expect(body.data.caseInfo.content.Priority).toBe('high');
      expect(body.uiResources?.root.config.name).toBe('pyUpdateCaseDetails');
    }
    // pyChangeStage's form takes its own fields.
    const stage = await dx(
      caller,
      'PATCH',
      `${casePath(id)}/actions/pyChangeStage/refresh`,
      { content: { pyGotoStage: 'ReviewRequest' } },
      { 'If-Match': '"1"' },
    );
    expect(stage.status).toBe(200);
    // Refused: a value of the wrong type, a stale If-Match, an unknown action.
    const bad = (path: string, body: unknown, etag = '"1"') =>
      dx(caller, 'PATCH', `${casePath(id)}/actions/${path}`, body, { 'If-Match': etag });
    await expectDxError(
      await bad('pyUpdateCaseDetails/refresh', { content: { Budget: 'x' } }),
      422,
    );
    await expectDxError(await bad('pyUpdateCaseDetails/refresh', { content: {} }, '"9"'), 409);
    await expectDxError(await bad('Nope/recalculate', { calculations }), 404);
    await expectDxError(await bad('pyUpdateCaseDetails/recalculate', { content: {} }), 400);
    const row = await caseRow(id);
    expect(row?.version).toBe(1);
    expect(JSON.parse(row?.content ?? '{}')).toEqual({ RequestID: 'CALC1', Budget: 10 });

    const fields = (view: string, names: string[]) =>
      dx(caller, 'POST', `${casePath(id)}/views/${view}/calculated_fields`, {
        calculations: { fields: names.map((name) => ({ name, context: '' })) },
      });
    const review = await fields('pyReview', ['Budget', 'RequestID', 'Unknown']);
    expect(review.status).toBe(200);
    expect(await review.json()).toEqual({
      data: { caseInfo: { content: { Budget: 10, RequestID: 'CALC1' } } },
    });
    // A step's form shows only its own fields.
    const step = await fields('ApproveRequest', ['Budget', 'RequestDetail']);
    expect(await step.json()).toEqual({ data: { caseInfo: { content: { RequestDetail: '' } } } });
    await expectDxError(await fields('pyNoSuchView', ['Budget']), 404);
    await expectDxError(
      await dx(await apiCaller(), 'POST', `${casePath(id)}/views/pyReview/calculated_fields`, {
        calculations: { fields: [] },
      }),
      404,
    );
  });
});

describe('DX API v2: a case’s ancestors and descendants', () => {
  it('shows a family both ways, and only what the caller may open', async () => {
    const root = await create(caller, { RequestID: 'ROOT' });
    const child = await create(caller, { RequestID: 'CHILD' }, root.id);
    const grandchild = await create(caller, { RequestID: 'GRAND' }, child.id);
    // A child created in API v1 by another operator that sees every case: listed by ID only.
    const stranger = await apiCaller({ caseVisibility: 'all' });
    const v1 = await api('POST', '/cases', stranger.token, {
      caseTypeID: type.ID,
      parentCaseID: root.id,
      content: { RequestID: 'V1CHILD' },
    });
    expect(v1.status).toBe(201);
    const { ID: hiddenId } = await v1.json<{ ID: string }>();

    const ancestors = await dx(caller, 'GET', `${casePath(grandchild.id)}/ancestors`);
    expect(ancestors.status).toBe(200);
    const { ancestors: up } = await ancestors.json<{
      ancestors: { ID: string; name: string; links?: { open: { href: string } } }[];
    }>();
    expect(up.map((item) => item.ID)).toEqual([root.id, child.id]);
    expect(up[0]?.links?.open.href).toBe(casePath(root.id));
    expect(up[0]?.name).toBe(type.name);
    const rootAncestors = await dx(caller, 'GET', `${casePath(root.id)}/ancestors`);
    expect(await rootAncestors.json()).toEqual({ ancestors: [] });

    interface Child {
      ID: string;
      status: string;
      caseTypeID?: string;
      assignments?: { ID: string }[];
      childCases?: Child[];
    }
    const descendants = await dx(caller, 'GET', `${casePath(root.id)}/descendants`);
    expect(descendants.status).toBe(200);
    const { childCases } = await descendants.json<{ childCases: Child[] }>();
    expect(childCases.map((item) => item.ID)).toEqual([child.id, hiddenId]);
    const [own, hidden] = childCases as [Child, Child];
    expect(own).toMatchObject({ caseTypeID: type.ID, status: 'New' });
    expect(own.assignments?.[0]?.ID).toBe(child.assignment);
    expect(own.childCases?.map((item) => item.ID)).toEqual([grandchild.id]);
    expect(hidden).toEqual({ ID: hiddenId, name: type.name, status: 'New' });
    // The stranger sees every case: the whole family.
    const all = await dx(stranger, 'GET', `${casePath(root.id)}/descendants`);
    expect(
      (await all.json<{ childCases: Child[] }>()).childCases.every((item) => item.childCases),
    ).toBe(true);
    // A case the caller may not see: 404 for both.
    const outsider = await apiCaller();
    await expectDxError(await dx(outsider, 'GET', `${casePath(root.id)}/descendants`), 404);
    await expectDxError(await dx(outsider, 'GET', `${casePath(child.id)}/ancestors`), 404);
  });
});

interface BulkAnswer {
  successCount: number;
  failureCount: number;
  results: {
    ID: string;
    BusinessID: string;
    status: string;
    error?: { errorDetails: { message: string; erroneousInputOutputIdentifier: string }[] };
  }[];
}

describe('DX API v2: bulk actions', () => {
  it('runs a case-wide action on each case on its own: 207 with each outcome, one refusal stopping no other', async () => {
    const first = await create(caller, { RequestID: 'B1' });
    const second = await create(caller, { RequestID: 'B2' });
    const othersCase = await create(await apiCaller(), { RequestID: 'B3' });
    // A resolved case: both steps worked.
    const done = await create(caller, { RequestID: 'B4', RequestDetail: 'done' });
    for (const [action, etag] of [
      ['SubmitRequest', '"1"'],
      ['ApproveRequest', '"2"'],
    ] as const) {
      const worked = await dx(
        caller,
        'PATCH',
        `/assignments/${encoded(done.assignment)}/actions/${action}`,
        { content: {} },
        { 'If-Match': etag },
      );
      expect(worked.status).toBe(200);
    }
    const bulk = (body: unknown, actionID = 'pyUpdateCaseDetails', who = caller) =>
      dx(who, 'PATCH', `/cases?actionID=${actionID}&runningMode=async`, body);
    const cases = [first, second, othersCase, done, { id: 'CNOW-NO-SUCH L-1' }, first].map(
      ({ id }) => ({ ID: id }),
    );
    const answered = await bulk({ cases, content: { Priority: 'high' } });
    expect(answered.status).toBe(207);
    const body = await answered.json<BulkAnswer>();
    expect(body.results.map((result) => [result.ID, result.status])).toEqual([
      [first.id, '200'],
      [second.id, '200'],
      [othersCase.id, '404'],
      [done.id, '409'],
      ['CNOW-NO-SUCH L-1', '404'],
    ]);
    expect(body).toMatchObject({ successCount: 2, failureCount: 3 });
    expect(body.results[0]?.BusinessID).toBe(first.id.split(' ').pop());
    expect(body.results[2]?.error?.errorDetails[0]?.message).toBe('Error_Resource_Not_Found');
    for (const { id } of [first, second]) {
      const row = await caseRow(id);
      expect(JSON.parse(row?.content ?? '{}').Priority).toBe('high');
      expect(row?.version).toBe(2);
      expect((await historyOf(id)).at(-1)?.action).toBe('case.update');
    }
    expect(JSON.parse((await caseRow(othersCase.id))?.content ?? '{}')).not.toHaveProperty(
      'Priority',
    );

    // A value its case type refuses: 422 for each case, with the field; nothing written.
    const invalid = await bulk({ cases: [{ ID: first.id }], content: { Priority: 'urgent' } });
    const refused = await invalid.json<BulkAnswer>();
    expect(refused.results[0]?.status).toBe('422');
    expect(
      refused.results[0]?.error?.errorDetails.some(
        (item) => item.erroneousInputOutputIdentifier === '.Priority',
      ),
    ).toBe(true);
    // An action that is not case-wide: 400 per case.
    const stepAction = await bulk({ cases: [{ ID: first.id }] }, 'ApproveRequest');
    expect((await stepAction.json<BulkAnswer>()).results[0]?.status).toBe('400');
    expect((await caseRow(first.id))?.version).toBe(2);

    // The whole call refused: more than 100 cases, none, no actionID, page instructions.
    const many = Array.from({ length: 101 }, (_, n) => ({ ID: `X-${n}` }));
    await expectDxError(await bulk({ cases: many }), 400);
    await expectDxError(await bulk({ cases: [] }), 400);
    await expectDxError(
      await dx(caller, 'PATCH', '/cases', { cases: [{ ID: first.id }], content: {} }),
      400,
    );
    await expectDxError(
      await bulk({
        cases: [{ ID: first.id }],
        pageInstructions: [{ instruction: 'UPDATE', target: '.Address', content: {} }],
      }),
      400,
    );
    // Without cases:update: 403 before anything is read.
    const reader = await apiCaller({ privileges: ['cases:read'] });
    expect((await bulk({ cases: [{ ID: first.id }] }, 'pyUpdateCaseDetails', reader)).status).toBe(
      403,
    );
    expect((await caseRow(first.id))?.version).toBe(2);
  });

  it('lists the case-wide actions of listed cases, and the bulk action’s form by case type', async () => {
    const open = await create(caller, { RequestID: 'BA1' });
    const actions = await dx(caller, 'POST', '/cases/bulk-actions', { cases: [{ ID: open.id }] });
    expect(actions.status).toBe(200);
    expect(await actions.json()).toEqual({
      availableActions: [{ ID: 'pyUpdateCaseDetails', name: 'Edit details', type: 'Case' }],
    });
    const hidden = await create(await apiCaller(), { RequestID: 'BA2' });
    await expectDxError(
      await dx(caller, 'POST', '/cases/bulk-actions', {
        cases: [{ ID: open.id }, { ID: hidden.id }],
      }),
      404,
    );
    for (const path of [
      `/casetypes/${type.ID}/bulk-actions/pyUpdateCaseDetails`,
      `/casetypes/${type.ID}/actions/pyUpdateCaseDetails?bulkContextID=ctx&bulkContextType=x`,
    ]) {
      const form = await dx(caller, 'GET', path);
      expect(form.status, path).toBe(200);
      const body = await form.json<DxAnswer>();
      expect(body.data.caseInfo.content).toEqual({});
      expect(body.uiResources?.root.config.name).toBe('pyUpdateCaseDetails');
    }
    await expectDxError(await dx(caller, 'GET', `/casetypes/${type.ID}/bulk-actions/Create`), 404);
  });
});

/** The street repair of the demo (seed/demo.sql), under a name of its own. */
function streetRepairType() {
  const ID = `Cnow-Life-Work-${unique('StreetRepair')}`;
  return {
    ID,
    name: 'Street repair',
    idPrefix: 'SR-',
    startingProcesses: [{ ID: 'pyStartCase', name: 'Report a street repair' }],
    fields: [
      { name: 'Location', type: 'string', required: true, maxLength: 200 },
      { name: 'Detail', type: 'string', maxLength: 2000 },
      { name: 'Severity', type: 'string', enum: ['Low', 'Medium', 'High'] },
      { name: 'Crew', type: 'string', maxLength: 100 },
      { name: 'Notes', type: 'string', maxLength: 2000 },
    ],
    flow: [
      {
        ID: 'EnterReport',
        name: 'Enter the report',
        fields: [{ name: 'Location', required: true }, { name: 'Detail' }],
        action: { ID: 'SubmitReport', name: 'Submit report' },
      },
      {
        ID: 'ConfirmReport',
        name: 'Confirm the report',
        fields: [{ name: 'Severity', required: true }],
        action: { ID: 'ConfirmReport', name: 'Confirm report' },
        nextScreen: true,
      },
      {
        ID: 'ScheduleRepair',
        name: 'Schedule the repair',
        fields: [{ name: 'Crew', required: true }],
        action: { ID: 'ScheduleRepair', name: 'Schedule repair' },
      },
      {
        ID: 'CloseRepair',
        name: 'Close the repair',
        fields: [{ name: 'Notes' }],
        action: { ID: 'CloseRepair', name: 'Close repair' },
      },
    ],
    processes: [
      {
        ID: 'Escalate',
        name: 'Escalate',
        step: {
          ID: 'EscalateRepair',
          name: 'Escalate the repair',
          fields: [{ name: 'Notes', required: true }],
          action: { ID: 'EscalateRepair', name: 'Escalate' },
        },
      },
      {
        ID: 'Inspect',
        name: 'Inspect',
        stage: 'PRIM2',
        step: {
          ID: 'InspectRepair',
          name: 'Inspect the repair',
          fields: [{ name: 'Notes' }],
          action: { ID: 'InspectRepair', name: 'Inspect' },
        },
      },
    ],
    stages: [
      { ID: 'PRIM1', name: 'Report', steps: ['EnterReport', 'ConfirmReport'] },
      { ID: 'PRIM2', name: 'Repair', steps: ['ScheduleRepair'] },
      { ID: 'PRIM3', name: 'Close', steps: ['CloseRepair'] },
      {
        ID: 'ALT1',
        name: 'Rejected',
        type: 'Alternate',
        resolutionStatus: 'Resolved-Rejected',
        steps: [],
      },
    ],
  };
}

interface Navigation {
  steps: { ID: string; actionID: string; visited_status: string; links?: object }[];
}

describe('DX API v2: a life cycle of stages, with a multi-step form (the street repair)', () => {
  let repair: ReturnType<typeof streetRepairType>;
  beforeAll(async () => {
    repair = streetRepairType();
    const defined = await admin('POST', '/casetypes', repair);
    expect(defined.status).toBe(201);
    expect((await defined.json<{ stages: unknown[] }>()).stages).toHaveLength(4);
  });

  const open = async (content: Record<string, unknown> = { Location: 'Main St 1' }) => {
    const response = await dx(caller, 'POST', '/cases?viewType=form', {
      caseTypeID: repair.ID,
      content,
    });
    expect(response.status).toBe(201);
    return response.json<DxAnswer & { uiResources: { navigation?: Navigation } }>();
  };
  const perform = (assignment: string, action: string, etag: string, content = {}) =>
    dx(
      caller,
      'PATCH',
      `/assignments/${encoded(assignment)}/actions/${action}?viewType=form`,
      { content },
      { 'If-Match': etag },
    );
  type Answer = DxAnswer & {
    uiResources: DxAnswer['uiResources'] & {
      navigation?: Navigation;
      actionButtons: { main: { name: string }[]; secondary: { name: string }[] };
    };
  };

  it('refuses a life cycle that breaks its rules, naming the part', async () => {
    const broken = (change: (type: ReturnType<typeof streetRepairType>) => void) => {
      const type = streetRepairType();
      change(type);
      return admin('POST', '/casetypes', type);
    };
    const cases: [string, (type: ReturnType<typeof streetRepairType>) => void][] = [
      ['out of flow order', (type) => type.stages.reverse()],
      [
        'a next screen on the first step',
        (type) => Object.assign(type.flow[0] as object, { nextScreen: true }),
      ],
      [
        'a next screen in another stage',
        (type) => Object.assign(type.flow[2] as object, { nextScreen: true }),
      ],
      [
        'a primary stage that resolves early',
        (type) => Object.assign(type.stages[0] as object, { resolutionStatus: 'Resolved-Early' }),
      ],
      [
        'a primary stage with no step',
        (type) => type.stages.splice(1, 0, { ID: 'PRIMX', name: 'X', steps: [] }),
      ],
      ['a step in no stage', (type) => (type.stages[2] as { steps: string[] }).steps.pop()],
    ];
    for (const [what, change] of cases) {
      const response = await broken(change);
      expect(response.status, what).toBe(400);
    }
  });

  it('shows its stages, runs the two screens of one assignment with Previous, and resolves through each primary stage', async () => {
    const created = await open();
    const assignment = created.nextAssignmentInfo?.ID as string;
    const info = created.data.caseInfo as DxAnswer['data']['caseInfo'] & {
      stages: { ID: string; type: string; transitionType: string; visited_status: string }[];
    };
    expect(info.stageID).toBe('PRIM1');
    expect(info.stageLabel).toBe('Report');
    expect(
      info.stages.map((stage) => [
        stage.ID,
        stage.type,
        stage.transitionType,
        stage.visited_status,
      ]),
    ).toEqual([
      ['PRIM1', 'Primary', 'create', 'active'],
      ['PRIM2', 'Primary', 'automatic', 'future'],
      ['PRIM3', 'Primary', 'resolution', 'future'],
      ['ALT1', 'Alternate', 'resolution', 'future'],
    ]);
    expect(info.assignments[0]).toMatchObject({ isMultiStep: 'true' });
    const first = created as Answer;
    expect(first.uiResources?.root.config.name).toBe('SubmitReport');
    expect(
      first.uiResources.navigation?.steps.map((step) => [step.ID, step.visited_status]),
    ).toEqual([
      ['AssignmentSF1', 'current'],
      ['AssignmentSF2', 'future'],
    ]);
    expect(first.uiResources.actionButtons.main[0]?.name).toBe('Next');
    // In the create stage: no Save for later.
    expect(first.uiResources.actionButtons.secondary.map((button) => button.name)).toEqual([
      'Cancel',
    ]);

    // The first screen: the same assignment at its second screen.
    const next = await perform(assignment, 'SubmitReport', '"1"', { Detail: 'pothole' });
    expect(next.status, await next.clone().text()).toBe(200);
    const second = await next.json<Answer>();
    expect(second.nextAssignmentInfo?.ID).toBe(assignment);
    expect(second.data.caseInfo.stageID).toBe('PRIM1');
    expect(second.uiResources?.root.config.name).toBe('ConfirmReport');
    expect(second.uiResources.actionButtons.main[0]?.name).toBe('Submit');
    expect(second.uiResources.actionButtons.secondary.map((button) => button.name)).toEqual([
      'Previous',
      'Cancel',
    ]);
    expect(second.uiResources.navigation?.steps[0]).toMatchObject({ visited_status: 'success' });

    // Previous: back to the first screen with the values of the second kept (no required check).
    const navigate = (step: string, etag: string, content = {}) =>
      dx(
        caller,
        'PATCH',
        `/assignments/${encoded(assignment)}/navigation_steps/${step}?viewType=form`,
        { content },
        { 'If-Match': etag },
      );
    await expectDxError(await navigate('AssignmentSF2', '"2"'), 409);
    const back = await navigate('previous', '"2"', { Severity: 'High' });
    expect(back.status).toBe(200);
    expect(back.headers.get('ETag')).toBe('"3"');
    const backBody = await back.json<Answer>();
    expect(backBody.uiResources?.root.config.name).toBe('SubmitReport');
    expect(backBody.data.caseInfo.content.Severity).toBe('High');
    expect(backBody.nextAssignmentInfo?.ID).toBe(assignment);
    // Not reached again yet: 404; the first screen has no previous: 422; a bad value: 422.
    await expectDxError(await navigate('AssignmentSF2', '"3"'), 404);
    const noPrevious = await navigate('previous', '"3"');
    expect(noPrevious.status, await noPrevious.clone().text()).toBe(422);
    expect((await historyOf(created.ID as string)).map((row) => row.action)).toContain(
      'case.navigate',
    );

    // Both screens again, then the Repair stage: one step, with Save for later.
    expect((await perform(assignment, 'SubmitReport', '"3"')).status).toBe(200);
    const repaired = await perform(assignment, 'ConfirmReport', '"4"');
    const repairStage = await repaired.json<Answer>();
    expect(repairStage.data.caseInfo.stageID).toBe('PRIM2');
    expect(repairStage.data.caseInfo.assignments[0]).toMatchObject({ isMultiStep: 'false' });
    expect(repairStage.uiResources.navigation).toBeUndefined();
    expect(repairStage.uiResources.actionButtons.secondary.map((button) => button.name)).toEqual([
      'Save for later',
      'Cancel',
    ]);
    // Once out of the create stage, no delete.
    await expectDxError(await dx(caller, 'DELETE', casePath(created.ID as string)), 409);
    expect((await perform(assignment, 'ScheduleRepair', '"5"', { Crew: 'North' })).status).toBe(
      200,
    );
    const closed = await perform(assignment, 'CloseRepair', '"6"', { Notes: 'filled' });
    const done = await closed.json<Answer>();
    expect(done.data.caseInfo.status).toBe('Resolved-Completed');
    expect(
      (done.data.caseInfo as unknown as { stages: { visited_status: string }[] }).stages.every(
        (stage) => stage.visited_status === 'completed',
      ),
    ).toBe(true);
  });

  it('moves between stages: next from the last primary is 409, the alternate stage resolves the case as rejected', async () => {
    const created = await open();
    const id = created.ID as string;
    const move = (path: string, etag: string) =>
      dx(caller, path === 'next' ? 'POST' : 'PUT', `${casePath(id)}/stages/${path}`, undefined, {
        'If-Match': etag,
      });
    const repair2 = await move('next', '"1"');
    expect(repair2.status).toBe(200);
    const moved = await repair2.json<DxAnswer>();
    expect(moved.data.caseInfo.stageID).toBe('PRIM2');
    expect(moved.data.caseInfo.assignments[0]?.actions[0]?.ID).toBe('ScheduleRepair');
    expect((await move('PRIM3', '"2"')).status).toBe(200);
    await expectDxError(await move('next', '"3"'), 409);
    await expectDxError(await move('PRIM9', '"3"'), 404);
    const rejected = await move('ALT1', '"3"');
    expect(rejected.status).toBe(200);
    const body = await rejected.json<DxAnswer>();
    expect(body.data.caseInfo.status).toBe('Resolved-Rejected');
    expect(body.data.caseInfo.assignments).toEqual([]);
    expect(body.confirmationNote).toEqual(expect.any(String));
    expect(body.data.caseInfo.availableActions).toEqual([]);
    await expectDxError(await move('PRIM1', '"4"'), 409);
    const history = await historyOf(id);
    expect(
      history.filter((row) => row.action === 'case.stage').map((row) => JSON.parse(row.detail).to),
    ).toEqual(['PRIM2', 'PRIM3', 'ALT1']);
  });

  it('deletes a case while it is in its create stage, at either screen; API v1 works each screen as a step', async () => {
    const created = await open();
    const assignment = created.nextAssignmentInfo?.ID as string;
    const submitted = await perform(assignment, 'SubmitReport', '"1"');
    expect(submitted.status, await submitted.clone().text()).toBe(200);
    const v1 = await api('GET', `/assignments/${encoded(assignment)}`, caller.token);
    expect(v1.status).toBe(200);
    expect(await v1.json()).toMatchObject({ actions: [{ ID: 'ConfirmReport' }] });
    expect((await dx(caller, 'DELETE', casePath(created.ID as string))).status).toBe(200);
  });
});

describe('DX API v2: optional processes, and several open assignments on a case', () => {
  let repair: ReturnType<typeof streetRepairType>;
  beforeAll(async () => {
    repair = streetRepairType();
    expect((await admin('POST', '/casetypes', repair)).status).toBe(201);
  });

  interface Info {
    status: string;
    stageID: string;
    content: Record<string, unknown>;
    assignments: { ID: string; processID: string; actions: { ID: string }[] }[];
    availableProcesses: { ID: string; type: string; links: { add: { href: string } } }[];
  }
  type Answer = {
    data: { caseInfo: Info };
    nextAssignmentInfo?: { ID: string };
    uiResources?: { root: { config: { name: string } } };
  };

  it('starts processes as further assignments, lists and works each with the case’s ETag, and closes them as the life cycle says', async () => {
    const created = await dx(caller, 'POST', '/cases', {
      caseTypeID: repair.ID,
      content: { Location: 'Bridge 4' },
    });
    const { ID: id, data } = await created.json<Answer & { ID: string }>();
    const main = `ASSIGN-WORKLIST ${id}!PYSTARTCASE`;
    // In the Report stage: the case-wide process only.
    expect(data.caseInfo.availableProcesses.map((process) => [process.ID, process.type])).toEqual([
      ['Escalate', 'Case'],
    ]);
    expect(data.caseInfo.availableProcesses[0]?.links.add.href).toBe(
      `${casePath(id)}/processes/Escalate`,
    );
    const start = (process: string, query = '') =>
      dx(caller, 'POST', `${casePath(id)}/processes/${process}${query}`);
    const started = await start('Escalate', '?viewType=form');
    expect(started.status).toBe(200);
    expect(started.headers.get('ETag')).toBe('"2"');
    const first = await started.json<Answer>();
    const escalation = `ASSIGN-WORKLIST ${id}!ESCALATE`;
    expect(first.nextAssignmentInfo?.ID).toBe(escalation);
    expect(first.uiResources?.root.config.name).toBe('EscalateRepair');
    // The assignment the answer is about comes first: Pega's clients work assignments[0].
    expect(first.data.caseInfo.assignments.map((assignment) => assignment.ID)).toEqual([
      escalation,
      main,
    ]);
    const again = await (await start('Escalate')).json<Answer>();
    expect(again.nextAssignmentInfo?.ID).toBe(`${escalation}_1`);
    // A stage's process outside its stage, or none such: 404; someone else: 404.
    await expectDxError(await start('Inspect'), 404);
    await expectDxError(await start('Nope'), 404);
    await expectDxError(
      await dx(await apiCaller(), 'POST', `${casePath(id)}/processes/Escalate`),
      404,
    );

    // Every list shows each: v1's worklist, DX's next and its worklist view.
    const v1 = await (await api('GET', '/assignments', caller.token)).json<{
      assignments: { ID: string }[];
    }>();
    const mine = v1.assignments
      .map((assignment) => assignment.ID)
      .filter((key) => key.includes(id));
    expect(mine.sort()).toEqual([escalation, `${escalation}_1`, main].sort());
    const view = await dx(caller, 'POST', '/data_views/D_pyMyWorkList', {
      dataViewParameters: {},
      query: { select: [{ field: 'pzInsKey' }, { field: 'pxTaskLabel' }] },
      paging: { pageNumber: 1, pageSize: 500 },
    });
    const rows = (
      await view.json<{ data: { pzInsKey: string; pxTaskLabel: string }[] }>()
    ).data.filter((row) => row.pzInsKey.includes(id));
    expect(rows.map((row) => [row.pzInsKey, row.pxTaskLabel]).sort()).toEqual(
      [
        [main, 'Enter the report'],
        [escalation, 'Escalate the repair'],
        [`${escalation}_1`, 'Escalate the repair'],
      ].sort(),
    );
    const opened = await dx(caller, 'GET', `/assignments/${encoded(escalation)}`);
    expect(opened.status).toBe(200);
    expect((await opened.json<Answer>()).uiResources?.root.config.name).toBe('EscalateRepair');

    // Worked with the case's ETag: its required field, then it closes; the main flow stays.
    const work = (assignment: string, action: string, etag: string, content = {}) =>
      dx(
        caller,
        'PATCH',
        `/assignments/${encoded(assignment)}/actions/${action}`,
        { content },
        { 'If-Match': etag },
      );
    await expectDxError(await work(escalation, 'EscalateRepair', '"3"'), 422);
    await expectDxError(await work(escalation, 'EscalateRepair', '"2"', { Notes: 'x' }), 409);
    const escalated = await work(escalation, 'EscalateRepair', '"3"', { Notes: 'urgent' });
    expect(escalated.status).toBe(200);
    const afterEscalation = await escalated.json<Answer>();
    expect(afterEscalation.data.caseInfo.content.Notes).toBe('urgent');
    expect(afterEscalation.data.caseInfo.assignments.map((assignment) => assignment.ID)).toEqual([
      main,
      `${escalation}_1`,
    ]);
    expect(afterEscalation.data.caseInfo.stageID).toBe('PRIM1');
    expect((await dx(caller, 'GET', `/assignments/${encoded(escalation)}`)).status).toBe(404);

    // A stage move that keeps the left step open: it stays workable beside the new one.
    const kept = await dx(
      caller,
      'PUT',
      `${casePath(id)}/stages/PRIM2?cleanupProcesses=false`,
      undefined,
      {
        'If-Match': '"4"',
      },
    );
    expect(kept.status).toBe(200);
    const moved = await kept.json<Answer>();
    const leftOpen = `${main}_1`;
    expect(
      moved.data.caseInfo.assignments.map((assignment) => [
        assignment.ID,
        assignment.actions[0]?.ID,
      ]),
    ).toEqual([
      [main, 'ScheduleRepair'],
      [`${escalation}_1`, 'EscalateRepair'],
      [leftOpen, 'SubmitReport'],
    ]);
    expect(moved.data.caseInfo.availableProcesses.map((process) => process.ID)).toEqual([
      'Escalate',
      'Inspect',
    ]);
    const inspection = (await (await start('Inspect')).json<Answer>()).nextAssignmentInfo?.ID;
    expect(inspection).toBe(`ASSIGN-WORKLIST ${id}!INSPECT`);
    const reported = await work(leftOpen, 'SubmitReport', '"6"', { Detail: 'late detail' });
    expect(reported.status).toBe(200);
    expect((await reported.json<Answer>()).data.caseInfo.stageID).toBe('PRIM2');

    // A move that cleans up: the left stage's process goes, the case-wide one stays.
    const cleaned = await dx(caller, 'POST', `${casePath(id)}/stages/next`, undefined, {
      'If-Match': '"7"',
    });
    const next = await cleaned.json<Answer>();
    expect(next.data.caseInfo.assignments.map((assignment) => assignment.ID)).toEqual([
      main,
      `${escalation}_1`,
    ]);
    // Resolving the case withdraws every assignment.
    const closed = await work(main, 'CloseRepair', '"8"');
    const done = await closed.json<Answer>();
    expect(done.data.caseInfo.status).toBe('Resolved-Completed');
    expect(done.data.caseInfo.assignments).toEqual([]);
    expect(done.data.caseInfo.availableProcesses).toEqual([]);
    expect(
      (await env.DB.prepare('SELECT other_assignments FROM cases WHERE id = ?').bind(id).first())
        ?.other_assignments,
    ).toBeNull();
    const history = (await historyOf(id)).map((row) => row.action);
    expect(history.filter((action) => action === 'case.process')).toHaveLength(3);
  });

  it('refuses processes that break the definition’s rules', async () => {
    const withProcess = (process: Record<string, unknown>) =>
      admin('POST', '/casetypes', { ...streetRepairType(), processes: [process] });
    const step = { ID: 'Extra', name: 'Extra', fields: [], action: { ID: 'Extra', name: 'Extra' } };
    for (const process of [
      { ID: 'X', name: 'X', stage: 'PRIM9', step },
      { ID: 'pyStartCase', name: 'X', step },
      { ID: 'X', name: 'X', step: { ...step, ID: 'EnterReport' } },
      { ID: 'X', name: 'X', step: { ...step, action: { ID: 'SubmitReport', name: 'X' } } },
      { ID: 'X', name: 'X', step: { ...step, fields: [{ name: 'Nope' }] } },
      { ID: 'X', name: 'X', step: { ...step, routeTo: 'someone' } },
    ]) {
      expect((await withProcess(process)).status, JSON.stringify(process)).toBe(400);
    }
  });
});
