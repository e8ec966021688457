import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DxAnswer, dx, expectDxError, type UiResources, V2 } from './dx-helpers';
import {
  type ApiCaller,
  admin,
  api,
  apiCaller,
  call,
  casePath,
  flowRequestType,
  ORIGIN,
} from './helpers';

/** DX API v2, call by call, as pega-dx-mcp and Pega's mashup (v2 build) make them. */

const requestType = () => flowRequestType('Cnow-Dx-Work-', 'D-');

const viewOf = (ui: UiResources | undefined) => {
  const name = ui?.root.config.name as string;
  return { name, view: ui?.resources.views[name]?.[0] };
};

const encoded = (id: string) => encodeURIComponent(id);

let type: ReturnType<typeof requestType>;
let caller: ApiCaller;
beforeAll(async () => {
  type = requestType();
  expect((await admin('POST', '/casetypes', type)).status).toBe(201);
  caller = await apiCaller();
});

async function create(who = caller, content: Record<string, unknown> = {}) {
  const response = await dx(who, 'POST', '/cases?viewType=form', {
    caseTypeID: type.ID,
    processID: 'pyStartCase',
    content,
    pageInstructions: [],
  });
  expect(response.status).toBe(201);
  return { response, body: await response.json<DxAnswer>() };
}

describe('DX API v2: case types and the create view', () => {
  it('lists what the caller may create, with the link that creates it', async () => {
    const response = await dx(caller, 'GET', '/casetypes');
    expect(response.status).toBe(200);
    const body = await response.json<{
      applicationIsConstellationCompatible: boolean;
      caseTypes: { ID: string; name: string; links: { create: Record<string, unknown> } }[];
    }>();
    expect(body.applicationIsConstellationCompatible).toBe(true);
    expect(body.caseTypes.find((one) => one.ID === type.ID)).toEqual({
      ID: type.ID,
      name: 'City services request',
      links: {
        create: {
          rel: 'create',
          href: '/cases',
          type: 'POST',
          title: 'Create Case',
          request_body: { caseTypeID: type.ID, processID: 'pyStartCase', content: {} },
        },
      },
    });
    const portal = await dx(caller, 'GET', '/data_views/D_pxAvailableCaseTypesForPortal');
    const rows = await portal.json<{ pyCaseTypesAvailableToCreate: unknown[] }>();
    expect(rows.pyCaseTypesAvailableToCreate).toContainEqual({
      pyClassName: type.ID,
      pyLabel: 'City services request',
    });
  });

  it('lists nothing to create for a caller without cases:create', async () => {
    const reader = await apiCaller({ privileges: ['casetypes:read', 'cases:read'] });
    const body = await (await dx(reader, 'GET', '/casetypes')).json<{ caseTypes: unknown[] }>();
    expect(body.caseTypes).toEqual([]);
  });

  it('draws the creation form from the case type: components by field type', async () => {
    const response = await dx(caller, 'GET', `/casetypes/${encoded(type.ID)}/actions/Create`);
    expect(response.status).toBe(200);
    const body = await response.json<{
      data: { caseInfo: { content: object } };
      uiResources: UiResources;
    }>();
    expect(body.data.caseInfo.content).toEqual({});
    const { name, view } = viewOf(body.uiResources);
    expect(name).toBe('Create');
    expect(view?.children[0]?.children.map((child) => [child.type, child.config.value])).toEqual([
      ['TextInput', '@P .RequestID'],
      ['TextArea', '@P .RequestDetail'],
      ['Dropdown', '@P .Priority'],
      ['Decimal', '@P .Budget'],
      ['Checkbox', '@P .Urgent'],
      ['Date', '@P .DueDate'],
    ]);
    expect(body.uiResources.resources.fields.Priority?.[0]?.datasource?.records).toEqual([
      { key: 'low', value: 'low' },
      { key: 'high', value: 'high' },
    ]);
    expect(Object.keys(body.uiResources.resources.fields)).toEqual(
      type.fields.map((field) => field.name),
    );
    const unknown = await dx(caller, 'GET', `/casetypes/${encoded(type.ID)}/actions/Delete`);
    await expectDxError(unknown, 404);
    const absent = await dx(caller, 'GET', '/casetypes/Cnow-Nothing-Work-X/actions/Create');
    await expectDxError(absent, 404);
  });
});

describe('DX API v2: a case from creation to resolution', () => {
  it('works both steps with If-Match, refusing what Pega refuses and writing nothing then', async () => {
    const { response, body: created } = await create();
    expect(created.ID).toMatch(/^CNOW-DX-WORK D-\d+$/);
    expect(response.headers.get('ETag')).toBe('"1"');
    expect(response.headers.get('Location')).toBe(
      `${ORIGIN}${V2}/cases/${encoded(created.ID as string)}`,
    );
    const info = created.data.caseInfo;
    expect(info).toMatchObject({
      ID: created.ID,
      name: 'City services request',
      stageLabel: 'Enter the request',
      status: 'New',
      content: { pzInsKey: created.ID, pyViewName: 'SubmitRequest', classID: type.ID },
      availableActions: [{ ID: 'pyUpdateCaseDetails' }, { ID: 'pyChangeStage' }],
    });
    const assignmentId = `ASSIGN-WORKLIST ${created.ID}!PYSTARTCASE`;
    expect(created.nextAssignmentInfo).toEqual({
      ID: assignmentId,
      context: 'self',
      className: type.ID,
    });
    expect(info.assignments[0]).toMatchObject({
      ID: assignmentId,
      canPerform: 'true',
      actions: [{ ID: 'SubmitRequest', name: 'Submit request', type: 'FlowAction' }],
    });
    const form = viewOf(created.uiResources);
    expect(form.name).toBe('SubmitRequest');
    expect(form.view?.config.template).toBe('DefaultForm');
    expect(form.view?.children[0]?.children[0]?.config).toMatchObject({
      label: '@L Request ID',
      required: true,
    });

    const path = `/assignments/${encoded(assignmentId)}`;
    const opened = await dx(caller, 'GET', path);
    expect(opened.status).toBe(200);
    expect(opened.headers.get('ETag')).toBe('"1"');
    const action = `${path}/actions/SubmitRequest?viewType=form`;

    // No If-Match: 428. A stale one: 409. Neither writes.
    const values = { RequestID: 'FT123', RequestDetail: 'faster trains, please!', Budget: '2500' };
    await expectDxError(await dx(caller, 'PATCH', action, { content: values }), 428);
    const stale = await dx(caller, 'PATCH', action, { content: values }, { 'If-Match': '"7"' });
    expect((await expectDxError(stale, 409)).errorClassification).toBe('Conflict');
    // A blank required field: 422, one detail per field, on `.Field`.
    const blank = await dx(
      caller,
      'PATCH',
      action,
      { content: { RequestID: 'FT123' } },
      { 'If-Match': 'W/"1"' },
    );
    const failure = await expectDxError(blank, 422);
    expect(failure).toMatchObject({
      errorClassification: 'Validation fail',
      // As Pega's Constellation engine reads them: the field by its dotted name, on the case
      // itself (no embedded page); and as the mashup matches them inline: by Path.
      errorDetails: [
        {
          message: 'Error_Validation_Fail',
          erroneousInputOutputFieldInPage: '',
          erroneousInputOutputIdentifier: '',
        },
        {
          message: 'Value cannot be blank.',
          localizedValue: 'Request detail: Value cannot be blank.',
          erroneousInputOutputFieldInPage: '',
          erroneousInputOutputIdentifier: '.RequestDetail',
          Path: '.RequestDetail',
          ValidationMessage: 'Request detail: Value cannot be blank.',
        },
      ],
    });
    const typed = await dx(
      caller,
      'PATCH',
      action,
      { content: { ...values, Budget: 'lots', Priority: 'urgent' } },
      { 'If-Match': '"1"' },
    );
    const paths = (await expectDxError(typed, 422)).errorDetails.map(
      (detail) => detail.erroneousInputOutputIdentifier,
    );
    expect(paths).toEqual(['', '.Priority', '.Budget']);
    const unchanged = await dx(caller, 'GET', casePath(created.ID as string));
    expect(unchanged.headers.get('ETag')).toBe('"1"');

    // Refresh: the values checked and merged, nothing saved.
    const refreshed = await dx(
      caller,
      'PATCH',
      `${path}/actions/SubmitRequest/refresh`,
      { content: { RequestID: 'R9' } },
      { 'If-Match': '"1"' },
    );
    expect(refreshed.status).toBe(200);
    expect((await refreshed.json<DxAnswer>()).data.caseInfo.content.RequestID).toBe('R9');
    expect((await dx(caller, 'GET', casePath(created.ID as string))).headers.get('ETag')).toBe(
      '"1"',
    );

    const first = await dx(caller, 'PATCH', action, { content: values }, { 'If-Match': 'W/"1"' });
    expect(first.status).toBe(200);
    expect(first.headers.get('ETag')).toBe('"2"');
    const next = await first.json<DxAnswer>();
    expect(next.data.caseInfo).toMatchObject({
      status: 'Open',
      stageLabel: 'Review the request',
      content: { RequestID: 'FT123', Budget: 2500, pyViewName: 'ApproveRequest' },
    });
    expect(next.nextAssignmentInfo?.ID).toBe(assignmentId);
    expect(viewOf(next.uiResources).name).toBe('ApproveRequest');
    // The first step's action is gone: a late copy of it is a conflict.
    const late = await dx(caller, 'PATCH', action, { content: values }, { 'If-Match': '"2"' });
    await expectDxError(late, 409);

    const second = await dx(
      caller,
      'PATCH',
      `${path}/actions/ApproveRequest`,
      {},
      { 'If-Match': '"2"' },
    );
    expect(second.status).toBe(200);
    const done = await second.json<DxAnswer>();
    expect(done.confirmationNote).toEqual(expect.any(String));
    expect(done.nextAssignmentInfo).toBeUndefined();
    expect(done.data.caseInfo).toMatchObject({
      status: 'Resolved-Completed',
      assignments: [],
      availableActions: [],
    });
    await expectDxError(await dx(caller, 'GET', path), 404);
  });

  it('shows the case, its review views and its details action; a resolved case is closed', async () => {
    const { body: created } = await create(caller, { RequestID: 'X1', RequestDetail: 'potholes' });
    const id = created.ID as string;
    const read = await dx(caller, 'GET', casePath(id));
    expect(read.headers.get('ETag')).toBe('"1"');
    const body = await read.json<DxAnswer>();
    expect(body.uiResources).toBeUndefined();
    expect(body.data.caseInfo.content).toMatchObject({ RequestID: 'X1', pyStatusWork: 'New' });
    // Page mode: the caller's open step embedded as Pega's engine draws it.
    const page = await (await dx(caller, 'GET', `${casePath(id)}?viewType=page`)).json<DxAnswer>();
    expect(viewOf(page.uiResources).name).toBe('pyEmbedAssignment');

    for (const viewId of ['pyReview', 'pyDetails']) {
      const view = await dx(caller, 'GET', `${casePath(id)}/views/${viewId}`);
      expect(view.status).toBe(200);
      expect(view.headers.get('ETag')).toBe('"1"');
      const review = await view.json<DxAnswer>();
      expect(review.uiResources?.resources.views[viewId]?.[0]?.config.template).toBe('Details');
    }
    await expectDxError(await dx(caller, 'GET', `${casePath(id)}/views/pyNothing`), 404);

    const edit = await dx(caller, 'GET', `${casePath(id)}/actions/pyUpdateCaseDetails`);
    expect(edit.status).toBe(200);
    expect(viewOf((await edit.json<DxAnswer>()).uiResources).name).toBe('pyUpdateCaseDetails');
    const detailsPath = `${casePath(id)}/actions/pyUpdateCaseDetails`;
    await expectDxError(await dx(caller, 'PATCH', detailsPath, { content: { Urgent: true } }), 428);
    const changed = await dx(
      caller,
      'PATCH',
      detailsPath,
      { content: { Urgent: 'true' } },
      { 'If-Match': '"1"' },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.get('ETag')).toBe('"2"');
    const after = await changed.json<DxAnswer>();
    expect(after.data.caseInfo.content.Urgent).toBe(true);
    expect(after.nextAssignmentInfo?.ID).toBe(`ASSIGN-WORKLIST ${id}!PYSTARTCASE`);
    await expectDxError(
      await dx(caller, 'PATCH', detailsPath, { content: { Urgent: false } }, { 'If-Match': '"1"' }),
      409,
    );
    await expectDxError(
      await dx(caller, 'PATCH', `${casePath(id)}/actions/pyDelete`, {}, { 'If-Match': '"2"' }),
      404,
    );
  });

  it('works a case created in API v1 through v2, and back', async () => {
    const v1 = await api('POST', '/cases', caller.token, {
      caseTypeID: type.ID,
      content: { RequestID: 'V1', RequestDetail: 'from v1' },
    });
    const { ID } = await v1.json<{ ID: string }>();
    const assignmentId = `ASSIGN-WORKLIST ${ID}!PYSTARTCASE`;
    const submitted = await dx(
      caller,
      'PATCH',
      `/assignments/${encoded(assignmentId)}/actions/SubmitRequest`,
      { content: { RequestDetail: 'changed in v2' } },
      { 'If-Match': '"1"' },
    );
    expect(submitted.status).toBe(200);
    const back = await api('GET', casePath(ID), caller.token);
    expect(back.headers.get('ETag')).toBe('"2"');
    expect((await back.json<{ content: Record<string, unknown> }>()).content).toMatchObject({
      RequestDetail: 'changed in v2',
      pyStatusWork: 'Open',
    });
    const approved = await api(
      'POST',
      `/assignments/${encoded(assignmentId)}?actionID=ApproveRequest`,
      caller.token,
      { content: {} },
    );
    expect(approved.status).toBe(200);
    const seen = await (await dx(caller, 'GET', casePath(ID))).json<DxAnswer>();
    expect(seen.data.caseInfo.status).toBe('Resolved-Completed');
  });
});

describe('DX API v2: the worklist and what others may not see', () => {
  it('lists the caller’s own open assignments, pages and counts them', async () => {
    const worker = await apiCaller();
    const ids = [];
    for (let index = 0; index < 3; index += 1) ids.push((await create(worker)).body.ID);
    await create(); // someone else's
    const response = await dx(worker, 'POST', '/data_views/D_pyMyWorkList');
    expect(response.status).toBe(200);
    const list = await response.json<{
      pxObjClass: string;
      resultCount: number;
      hasMoreResults: boolean;
      data: { pzInsKey: string; pxRefObjectKey: string; pyLabel: string; pxTaskLabel: string }[];
    }>();
    expect(list).toMatchObject({
      pxObjClass: 'Pega-API-DataExploration-Data',
      resultCount: 3,
      hasMoreResults: false,
    });
    expect(list.data.map((row) => row.pxRefObjectKey)).toEqual(ids);
    expect(list.data[0]).toMatchObject({
      pzInsKey: `ASSIGN-WORKLIST ${ids[0]}!PYSTARTCASE`,
      pyLabel: 'City services request',
      pxTaskLabel: 'Enter the request',
    });
    const paged = await dx(worker, 'POST', '/data_views/D_pyMyWorkList', {
      paging: { pageNumber: 2, pageSize: 2 },
    });
    const page = await paged.json<{
      pageNumber: number;
      hasMoreResults: boolean;
      data: { pxRefObjectKey: string }[];
    }>();
    expect(page).toMatchObject({ pageNumber: 2, pageSize: 2, hasMoreResults: false });
    expect(page.data.map((row) => row.pxRefObjectKey)).toEqual([ids[2]]);
    const count = await dx(worker, 'POST', '/data_views/D_pyMyWorkList/count');
    expect(await count.json()).toMatchObject({
      resultCount: 3,
      totalCount: 3,
      hasMoreResults: false,
    });
    const next = await dx(worker, 'GET', '/assignments/next');
    expect(next.status).toBe(200);
    expect(next.headers.get('ETag')).toBe('"1"');
    expect((await next.json<DxAnswer>()).data.caseInfo.ID).toBe(ids[0]);

    await expectDxError(await dx(worker, 'POST', '/data_views/D_Nothing'), 404);
    const bad = await dx(worker, 'POST', '/data_views/D_pyMyWorkList', { paging: { pageSize: 0 } });
    await expectDxError(bad, 400);
  });

  it('answers 404 for a case or assignment the caller may not see, and JSON 401 without a token', async () => {
    const { body: created } = await create();
    const stranger = await apiCaller();
    const id = created.ID as string;
    for (const path of [
      casePath(id),
      `${casePath(id)}/views/pyReview`,
      `/assignments/${encoded(`ASSIGN-WORKLIST ${id}!PYSTARTCASE`)}`,
    ]) {
      const body = await expectDxError(await dx(stranger, 'GET', path), 404);
      expect(body.errorClassification).toBe('Resource not found');
    }
    const patched = await dx(
      stranger,
      'PATCH',
      `/assignments/${encoded(`ASSIGN-WORKLIST ${id}!PYSTARTCASE`)}/actions/SubmitRequest`,
      { content: { RequestID: 'x', RequestDetail: 'y' } },
      { 'If-Match': '"1"' },
    );
    await expectDxError(patched, 404);
    const anonymous = await dx(undefined, 'GET', '/casetypes');
    await expectDxError(anonymous, 401);
    expect(anonymous.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
    await expectDxError(await dx(caller, 'GET', '/nothing/here'), 404);
  });

  it('serves the same calls without /prweb', async () => {
    const response = await call('/api/application/v2/casetypes', {
      headers: { Authorization: `Bearer ${caller.token}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("DX API v2 as Pega's Constellation engine calls it, embedded", () => {
  /** The views the engine walks from a page-mode answer's root to the form it draws. */
  function walk(ui: UiResources | undefined, content: Record<string, unknown>) {
    const views = ui?.resources.views as unknown as Record<string, Record<string, unknown>[]>;
    const names: string[] = [];
    let name = ui?.root.config.name as string;
    for (let depth = 0; depth < 6 && name; depth += 1) {
      names.push(name);
      const [view] = views[name] ?? [];
      const children = (view?.children ?? []) as Record<string, unknown>[];
      const reference = (
        view?.type === 'FlowContainer' ? children[0] : (children[0]?.children as object[])?.[0]
      ) as { type?: string; config?: { name: string } } | undefined;
      if (reference?.type !== 'reference') break;
      const next = reference.config?.name ?? '';
      // `@P .pyViewName`: the engine reads the name from the case's content.
      name = next.startsWith('@P .') ? String(content[next.slice(4)]) : next;
    }
    return names;
  }

  it('boots from D_pxBootstrapConfig, creates in page mode, submits both steps, and maps a 422 to its field', async () => {
    const bootstrap = await dx(caller, 'GET', '/data_views/D_pxBootstrapConfig');
    expect(bootstrap.status).toBe(200);
    const { pyConfigJSON } = await bootstrap.json<{ pyConfigJSON: string }>();
    expect(typeof pyConfigJSON).toBe('string');
    const config = JSON.parse(pyConfigJSON);
    expect(config).toMatchObject({
      locale: 'en-US',
      tokens: { C11NB2S: '' },
      serviceConfig: { contextPath: '/prweb', appAlias: '' },
      routingInfo: {
        routes: {},
        routesMeta: {
          createWork: {
            restApi: {
              endPoint: '/api/application/v2/cases?viewType={viewType}',
              reqType: 'POST',
              params: { viewType: 'page' },
            },
          },
          finishAssignment: {
            restApi: {
              endPoint:
                '/api/application/v2/assignments/{assignmentID}/actions/{actionID}?viewType={viewType}',
              reqType: 'PATCH',
            },
          },
          getCase: { restApi: { endPoint: '/api/application/v2/cases/{caseID}', reqType: 'GET' } },
          openAssignment: {
            restApi: {
              endPoint: '/api/application/v2/assignments/{assignmentID}?viewType={viewType}',
              reqType: 'GET',
              params: { viewType: 'page' },
            },
          },
          // The engine's own names for Previous, Save for later and Cancel, with its placeholders.
          navigateToStep: {
            restApi: {
              endPoint:
                '/api/application/v2/assignments/{ID}/navigation_steps/{stepID}?viewType={viewType}',
              reqType: 'PATCH',
            },
          },
          save: {
            restApi: {
              endPoint: '/api/application/v2/assignments/{assignmentID}/actions/{actionID}/save',
              reqType: 'PATCH',
            },
          },
          releaseAssignmentLock: {
            restApi: {
              endPoint: '/api/application/v2/cases/{caseID}/updates?viewType={viewType}',
              reqType: 'DELETE',
            },
          },
          cancelAssignment: {
            restApi: {
              endPoint: '/api/application/v2/cases/{caseID}/updates?viewType={viewType}',
              reqType: 'DELETE',
            },
          },
        },
      },
      environmentInfo: {
        pxOperator: { pyUserIdentifier: caller.operatorID, pyAccessGroup: 'TEST:APIClients' },
        pxApplication: { pyLabel: 'TEST', pyBaseLocale: 'en-US' },
        pxLocale: { pyTimeZone: expect.any(String) },
      },
    });
    expect(config.environmentInfo.pyCaseTypeList).toContainEqual({
      pyWorkTypeImplementationClassName: type.ID,
      pyWorkTypeName: type.name,
    });
    // An entry for every v2 route served.
    expect(Object.keys(config.routingInfo.routesMeta).length).toBeGreaterThan(20);
    const withoutScope = await apiCaller({ privileges: ['cases:read'] });
    expect((await dx(withoutScope, 'GET', '/data_views/D_pxBootstrapConfig')).status).toBe(403);

    // createWork, as the engine appends its page name.
    const created = await dx(caller, 'POST', '/cases?viewType=page&pageName=pyEmbedAssignment', {
      caseTypeID: type.ID,
      content: {},
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('ETag')).toBe('"1"');
    const page = await created.json<
      DxAnswer & {
        uiResources: { context_data?: object; actionButtons?: { main: { jsAction: string }[] } };
      }
    >();
    const { content } = page.data.caseInfo;
    expect(content).toMatchObject({ pyViewName: 'SubmitRequest', pyViewContext: '' });
    expect(page.uiResources.context_data).toEqual({});
    expect(walk(page.uiResources, content)).toEqual([
      'pyEmbedAssignment',
      'pyCaseWorkarea',
      'pzFlowContainer',
      'SubmitRequest',
    ]);
    expect(page.uiResources.actionButtons?.main[0]).toMatchObject({ jsAction: 'finishAssignment' });
    const assignmentId = page.nextAssignmentInfo?.ID as string;
    const reread = await dx(caller, 'GET', `/assignments/${encoded(assignmentId)}?viewType=page`);
    expect(walk((await reread.json<DxAnswer>()).uiResources, content)).toContain('SubmitRequest');

    // finishAssignment with a blank required field: 422, the field named as the engine reads it.
    const finish = (action: string, body: object, etag: string) =>
      dx(
        caller,
        'PATCH',
        `/assignments/${encoded(assignmentId)}/actions/${action}?viewType=form`,
        body,
        {
          'If-Match': etag,
        },
      );
    const refused = await finish('SubmitRequest', { content: { RequestID: 'C1' } }, '"1"');
    expect(refused.status).toBe(422);
    const errors = await refused.json<{ errorDetails: Record<string, string>[] }>();
    expect(errors.errorDetails).toContainEqual(
      expect.objectContaining({
        erroneousInputOutputIdentifier: '.RequestDetail',
        erroneousInputOutputFieldInPage: '',
      }),
    );
    const first = await finish(
      'SubmitRequest',
      { content: { RequestID: 'C1', RequestDetail: 'embedded' } },
      '"1"',
    );
    expect(first.status).toBe(200);
    const second = await finish('ApproveRequest', { content: {} }, first.headers.get('ETag') ?? '');
    expect(second.status).toBe(200);
    const done = await second.json<DxAnswer>();
    expect(done.confirmationNote).toEqual(expect.any(String));
    expect(done.data.caseInfo.status).toBe('Resolved-Completed');
  });

  it("serves the same calls under /prweb/app/{alias}, for the caller's own application only", async () => {
    const through = (alias: string, path: string, init: RequestInit = {}) =>
      call(`/prweb/app/${alias}${path}`, {
        ...init,
        headers: {
          Authorization: `Bearer ${caller.token}`,
          'Content-Type': 'application/json',
          ...(init.headers as Record<string, string>),
        },
      });
    // The caller's access group is TEST:APIClients: its application is TEST, in any case.
    const booted = await through('test', '/api/application/v2/data_views/D_pxBootstrapConfig');
    expect(booted.status).toBe(200);
    const config = JSON.parse((await booted.json<{ pyConfigJSON: string }>()).pyConfigJSON);
    expect(config.serviceConfig.appAlias).toBe('test');
    const created = await through('TEST', '/api/application/v2/cases?viewType=none', {
      method: 'POST',
      body: JSON.stringify({ caseTypeID: type.ID, content: {} }),
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('Location')).toMatch(
      /\/prweb\/app\/TEST\/api\/application\/v2\/cases\//,
    );
    expect((await through('TEST', '/api/v1/casetypes')).status).toBe(200);
    const other = await through('OTHER', '/api/application/v2/casetypes');
    expect(other.status).toBe(404);
    expect(await other.json()).toHaveProperty('errorDetails');
    const otherV1 = await through('OTHER', '/api/v1/casetypes');
    expect(otherV1.status).toBe(404);
    expect(await otherV1.json()).toHaveProperty('errors');
  });
});

describe('DX API v2: the stages of a case (a flow of steps: one stage per step)', () => {
  it('shows each stage completed, active or future through the life of a case', async () => {
    const { body: created } = await create(caller, { RequestID: 'S1', RequestDetail: 'stages' });
    const id = created.ID as string;
    const stagesOf = async () => {
      const response = await dx(caller, 'GET', `${casePath(id)}/stages`);
      expect(response.status).toBe(200);
      return (await response.json<{ stages: Record<string, unknown>[] }>()).stages;
    };
    const first = await stagesOf();
    expect(first).toEqual([
      expect.objectContaining({
        ID: 'EnterRequest',
        name: 'Enter the request',
        type: 'Primary',
        transitionType: 'create',
        visited_status: 'active',
        entryTime: expect.any(String),
        processes: [
          expect.objectContaining({
            ID: 'pyStartCase',
            steps: [{ ID: 'EnterRequest', name: 'Enter the request', visited_status: 'active' }],
          }),
        ],
      }),
      expect.objectContaining({
        ID: 'ReviewRequest',
        transitionType: 'resolution',
        visited_status: 'future',
      }),
    ]);
    const info = created.data.caseInfo as unknown as Record<string, unknown>;
    expect(info).toMatchObject({ stageID: 'EnterRequest', availableProcesses: [] });
    expect((info.stages as object[]).length).toBe(2);

    const assignment = `/assignments/${encoded(created.nextAssignmentInfo?.ID as string)}`;
    const entered = await dx(
      caller,
      'PATCH',
      `${assignment}/actions/SubmitRequest`,
      { content: {} },
      {
        'If-Match': '"1"',
      },
    );
    expect(entered.status).toBe(200);
    expect((await stagesOf()).map((stage) => stage.visited_status)).toEqual([
      'completed',
      'active',
    ]);
    const approved = await dx(
      caller,
      'PATCH',
      `${assignment}/actions/ApproveRequest`,
      { content: {} },
      {
        'If-Match': '"2"',
      },
    );
    expect(approved.status).toBe(200);
    expect((await stagesOf()).map((stage) => stage.visited_status)).toEqual([
      'completed',
      'completed',
    ]);
    expect((await dx(await apiCaller(), 'GET', `${casePath(id)}/stages`)).status).toBe(404);
  });

  it('moves stage with If-Match: next, to a stage by ID, refusing what Pega refuses and writing nothing then', async () => {
    const { body: created } = await create(caller, { RequestID: 'S2', RequestDetail: 'moves' });
    const id = created.ID as string;
    const move = (path: string, method: string, etag?: string, query = '') =>
      dx(caller, method, `${casePath(id)}/stages/${path}${query}`, undefined, {
        ...(etag && { 'If-Match': etag }),
      });
    const history = async () =>
      (
        await env.DB.prepare(
          "SELECT count(*) AS n FROM audit_log WHERE target_type = 'case' AND target_id = ? AND action = 'case.stage'",
        )
          .bind(id)
          .first<{ n: number }>()
      )?.n;
    await expectDxError(await move('next', 'POST'), 428);
    await expectDxError(await move('next', 'POST', '"7"'), 409);
    await expectDxError(await move('NoSuchStage', 'PUT', '"1"'), 404);
    await expectDxError(await move('next', 'POST', '"1"', '?cleanupProcesses=maybe'), 400);
    expect(await history()).toBe(0);

    const next = await move('next', 'POST', '"1"');
    expect(next.status).toBe(200);
    expect(next.headers.get('ETag')).toBe('"2"');
    const moved = await next.json<DxAnswer>();
    expect(moved.data.caseInfo).toMatchObject({ stageID: 'ReviewRequest', status: 'Open' });
    expect(moved.uiResources).toBeUndefined();
    // The last primary stage has no next one.
    await expectDxError(await move('next', 'POST', '"2"'), 409);
    // Back to the create stage by its ID, with the review view.
    const back = await move('EnterRequest', 'PUT', '"2"', '?viewType=form');
    expect(back.status).toBe(200);
    const returned = await back.json<DxAnswer>();
    expect(returned.data.caseInfo.stageID).toBe('EnterRequest');
    expect(returned.nextAssignmentInfo?.ID).toBe(created.nextAssignmentInfo?.ID);
    expect(viewOf(returned.uiResources).name).toBe('pyReview');
    expect(await history()).toBe(2);
  });

  it('changes stage through the pyChangeStage case action, as pega-dx-mcp reads its eTag from it', async () => {
    const { body: created } = await create(caller, { RequestID: 'S3', RequestDetail: 'action' });
    const id = created.ID as string;
    const action = `${casePath(id)}/actions/pyChangeStage`;
    const form = await dx(caller, 'GET', `${action}?viewType=form&excludeAdditionalActions=true`);
    expect(form.status).toBe(200);
    expect(form.headers.get('ETag')).toBe('"1"');
    const { uiResources } = await form.json<DxAnswer>();
    expect(viewOf(uiResources).name).toBe('pyChangeStage');
    expect(uiResources?.resources.fields.pyGotoStage?.[0]?.datasource?.records).toEqual([
      { key: 'EnterRequest', value: 'EnterRequest' },
      { key: 'ReviewRequest', value: 'ReviewRequest' },
    ]);
    const blank = await dx(caller, 'PATCH', action, { content: {} }, { 'If-Match': '"1"' });
    expect((await expectDxError(blank, 422)).errorDetails[1]).toMatchObject({
      erroneousInputOutputIdentifier: '.pyGotoStage',
    });
    const moved = await dx(
      caller,
      'PATCH',
      action,
      { content: { pyGotoStage: 'ReviewRequest', pyAuditNote: 'skip ahead' } },
      { 'If-Match': '"1"' },
    );
    expect(moved.status).toBe(200);
    expect(moved.headers.get('ETag')).toBe('"2"');
    expect((await moved.json<DxAnswer>()).data.caseInfo.stageID).toBe('ReviewRequest');
    const note = await env.DB.prepare(
      "SELECT json_extract(detail, '$.note') AS note FROM audit_log WHERE target_id = ? AND action = 'case.stage'",
    )
      .bind(id)
      .first<{ note: string }>();
    expect(note?.note).toBe('skip ahead');
  });
});

describe('DX API v2: deleting a case, and releasing it', () => {
  it('deletes a case in its create stage with its attachment records, never after; history keeps a row', async () => {
    const { body: created } = await create(caller, { RequestID: 'D1' });
    const id = created.ID as string;
    const form = new FormData();
    form.append('file', new Blob(['kept with the case']), 'note.txt');
    const uploaded = await call(`${V2}/attachments/upload`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${caller.token}` },
      body: form,
    });
    const { ID: file } = await uploaded.json<{ ID: string }>();
    expect(
      (
        await dx(caller, 'POST', `${casePath(id)}/attachments`, {
          attachments: [{ type: 'File', ID: file }],
        })
      ).status,
    ).toBe(201);
    // Someone else's case: 404, nothing deleted.
    expect((await dx(await apiCaller(), 'DELETE', casePath(id))).status).toBe(404);

    const deleted = await dx(caller, 'DELETE', casePath(id));
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({});
    await expectDxError(await dx(caller, 'GET', casePath(id)), 404);
    expect(await env.ATTACHMENTS.head(`attachments/${file}`)).toBeNull();
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM attachments WHERE case_id = ?')
      .bind(id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    const history = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE target_type = 'case' AND target_id = ? ORDER BY id",
    )
      .bind(id)
      .all<{ action: string }>();
    expect(history.results.map((row) => row.action)).toContain('case.delete');

    // Past its create stage, a case stays.
    const { body: later } = await create(caller, { RequestID: 'D2', RequestDetail: 'moved on' });
    const laterId = later.ID as string;
    const submitted = await dx(
      caller,
      'PATCH',
      `/assignments/${encoded(later.nextAssignmentInfo?.ID as string)}/actions/SubmitRequest`,
      { content: {} },
      { 'If-Match': '"1"' },
    );
    expect(submitted.status).toBe(200);
    await expectDxError(await dx(caller, 'DELETE', casePath(laterId)), 409);
    expect((await dx(caller, 'GET', casePath(laterId))).status).toBe(200);
  });

  it('releases a case: nothing is held, the case comes back as it is', async () => {
    const { body: created } = await create(caller, { RequestID: 'R1' });
    const released = await dx(caller, 'DELETE', `${casePath(created.ID as string)}/updates`);
    expect(released.status).toBe(200);
    expect(released.headers.get('ETag')).toBe('"1"');
    const body = await released.json<DxAnswer>();
    expect(body.data.caseInfo.ID).toBe(created.ID);
    expect(viewOf(body.uiResources).name).toBe('pyDetails');
  });
});
