import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { aroundBatch } from './d1-hooks';
import {
  type ApiCaller,
  admin,
  api,
  apiCaller,
  call,
  callWithEnv,
  casePath,
  createOperator,
  expectOAuthError,
  expectPegaError,
  flowRequestType,
  issueToken,
  registerClient,
  rowCounts,
  unique,
  validationPaths,
} from './helpers';
import { recordStorage } from './storage-recorder';

const requestType = (overrides: Record<string, unknown> = {}) =>
  flowRequestType('Cnow-Flow-Work-', 'F-', overrides);

async function defineType(body: Record<string, unknown>) {
  const response = await admin('POST', '/casetypes', body);
  expect(response.status).toBe(201);
  return body as ReturnType<typeof requestType>;
}

/** Pega's web client sends every call with a JSON Content-Type, GETs included. */
function pega(caller: ApiCaller, method: string, path: string, body?: unknown, headers = {}) {
  return api(method, path, caller.token, body, {
    'Content-Type': 'application/json;charset=UTF-8',
    ...headers,
  });
}

interface DxField {
  reference: string;
  control: { type: string; modes: unknown[] };
  [key: string]: unknown;
}

const assignmentPath = (id: string) => `/assignments/${encodeURIComponent(id)}`;

let type: ReturnType<typeof requestType>;
beforeAll(async () => {
  type = await defineType(requestType());
});

/** The web client's create: no New harness, empty content, empty page instructions. */
async function createAsPega(caller: ApiCaller, caseTypeID = type.ID) {
  const response = await pega(caller, 'POST', '/cases', {
    content: {},
    pageInstructions: [],
    caseTypeID,
  });
  expect(response.status).toBe(201);
  return response.json<{ ID: string; nextAssignmentID: string; nextPageID: string }>();
}

describe("Pega's web client, call by call", () => {
  it('creates a case, renders and submits both assignments, and sees it resolved', async () => {
    const caller = await apiCaller();
    // createNewWork: the case types, then POST /cases.
    const caseTypes = await (await pega(caller, 'GET', '/casetypes')).json<{
      caseTypes: { ID: string; CanCreate: string; startingProcesses: unknown[] }[];
    }>();
    expect(caseTypes.caseTypes.find((one) => one.ID === type.ID)).toMatchObject({
      CanCreate: 'true',
      startingProcesses: [expect.objectContaining({ requiresFieldsToCreate: 'false' })],
    });
    const created = await createAsPega(caller);
    expect(created.nextAssignmentID).toBe(`ASSIGN-WORKLIST ${created.ID}!PYSTARTCASE`);
    expect(created.nextPageID).toBe('Perform');

    // fetchData('assignment'), then 'case' (for the ETag) and 'assignmentaction'.
    const assignment = await (
      await pega(caller, 'GET', assignmentPath(created.nextAssignmentID))
    ).json<{ caseID: string; actions: { ID: string; name: string }[]; name: string }>();
    expect(assignment).toMatchObject({
      ID: created.nextAssignmentID,
      caseID: created.ID,
      name: 'Enter the request',
      instructions: 'Describe what the city should do.',
      routedTo: caller.operatorID,
      urgency: '10',
      actions: [{ ID: 'SubmitRequest', name: 'Submit request' }],
    });
    const caseResponse = await pega(caller, 'GET', casePath(assignment.caseID));
    expect(caseResponse.headers.get('ETag')).toBe('"1"');
    const caseData = await caseResponse.json<{ content: Record<string, string> }>();
    expect(caseData.content).toMatchObject({
      pyLabel: 'City services request',
      pyStatusWork: 'New',
    });
    const action = await (
      await pega(caller, 'GET', `${assignmentPath(created.nextAssignmentID)}/actions/SubmitRequest`)
    ).json<{
      name: string;
      view: { groups: { layout: { groups: { field: Record<string, unknown> }[] } }[] };
    }>();
    expect(action.name).toBe('Submit request');
    const form = action.view.groups[0]?.layout.groups.map((group) => group.field) ?? [];
    expect(form.map((field) => field.reference)).toEqual([
      'RequestID',
      'RequestDetail',
      'Priority',
      'Budget',
      'Urgent',
      'DueDate',
    ]);

    // submitassignment with a blank required field: inline errors, nothing saved.
    const blank = await pega(
      caller,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
      { content: { RequestID: 'FT123' }, pageInstructions: [] },
    );
    const error = await expectPegaError(blank, 400, 'Pega_API_001');
    expect(error.ValidationMessages).toEqual([
      expect.objectContaining({
        Path: '.RequestDetail',
        ValidationMessage: 'Value cannot be blank.',
        erroneousInputOutputFieldInPage: '.RequestDetail',
      }),
    ]);
    expect((await pega(caller, 'GET', casePath(created.ID))).headers.get('ETag')).toBe('"1"');
    // Spaces only are blank too (found by the mashup judge: it let "   " through).
    const spaces = await pega(
      caller,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
      { content: { RequestID: 'FT123', RequestDetail: '   ' }, pageInstructions: [] },
    );
    const spaced = await expectPegaError(spaces, 400, 'Pega_API_001');
    expect(spaced.ValidationMessages?.map((message) => message.Path)).toEqual(['.RequestDetail']);
    expect((await pega(caller, 'GET', casePath(created.ID))).headers.get('ETag')).toBe('"1"');

    // The form sends what changed, as strings.
    const first = await pega(
      caller,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
      {
        content: {
          RequestID: 'FT123',
          RequestDetail: 'faster trains, please!',
          Budget: '2500',
          Urgent: true,
          DueDate: '12/24/2026',
        },
        pageInstructions: [],
      },
    );
    expect(first.status).toBe(200);
    const afterFirst = await first.json<{
      ID: string;
      nextAssignmentID: string;
      nextPageID: string;
    }>();
    expect(afterFirst).toEqual({
      ID: created.ID,
      nextAssignmentID: created.nextAssignmentID,
      nextPageID: 'Perform',
      pxObjClass: 'Pega-API-CaseManagement-Case',
    });

    const review = await (
      await pega(caller, 'GET', assignmentPath(afterFirst.nextAssignmentID))
    ).json<{
      name: string;
      actions: { ID: string }[];
    }>();
    expect(review.name).toBe('Review the request');
    expect(review.actions).toEqual([{ ID: 'ApproveRequest', name: 'Approve' }]);
    const reviewForm = await (
      await pega(
        caller,
        'GET',
        `${assignmentPath(afterFirst.nextAssignmentID)}/actions/ApproveRequest`,
      )
    ).json<{ view: { groups: { layout: { groups: { field: { value: string } }[] } }[] } }>();
    expect(reviewForm.view.groups[0]?.layout.groups[0]?.field.value).toBe('faster trains, please!');

    const last = await pega(
      caller,
      'POST',
      `${assignmentPath(afterFirst.nextAssignmentID)}?actionID=ApproveRequest`,
      { content: {}, pageInstructions: [] },
    );
    expect(await last.json()).toEqual({
      ID: created.ID,
      nextAssignmentID: '',
      nextPageID: 'Confirm',
      pxObjClass: 'Pega-API-CaseManagement-Case',
    });

    // nextPageID Confirm: the client shows pyCaseInformation and the case's status.
    const info = await (
      await pega(caller, 'GET', `${casePath(created.ID)}/views/pyCaseInformation`)
    ).json<{
      name: string;
      groups: {
        layout: { groups: { field: { reference: string; value: string; readOnly: boolean } }[] };
      }[];
    }>();
    const shown = Object.fromEntries(
      (info.groups[0]?.layout.groups ?? []).map(({ field }) => [field.reference, field]),
    );
    expect(shown.RequestDetail).toMatchObject({ value: 'faster trains, please!', readOnly: true });
    expect(shown.Budget?.value).toBe('2500');
    expect(shown.Urgent?.value).toBe('true');
    expect(shown.DueDate?.value).toBe('20261224');
    const resolved = await (await pega(caller, 'GET', casePath(created.ID))).json<{
      status: string;
      assignments: unknown[];
      content: Record<string, unknown>;
    }>();
    expect(resolved.status).toBe('Resolved-Completed');
    expect(resolved.content).toMatchObject({ Budget: 2500, Urgent: true, DueDate: '2026-12-24' });
    expect(resolved.assignments).toEqual([]);
    await expectPegaError(
      await pega(caller, 'GET', assignmentPath(afterFirst.nextAssignmentID)),
      404,
      'not_found',
    );
  });

  it('lists the worklist, most urgent then oldest, and the next assignment', async () => {
    const caller = await apiCaller();
    const older = await createAsPega(caller);
    const newer = await createAsPega(caller);
    const list = await (await pega(caller, 'GET', '/assignments')).json<{
      assignments: Record<string, unknown>[];
    }>();
    expect(list.assignments).toEqual([
      {
        ID: older.nextAssignmentID,
        caseID: older.ID,
        name: 'Enter the request',
        urgency: '10',
        instructions: 'Describe what the city should do.',
        routedTo: caller.operatorID,
        pxObjClass: 'Pega-API-CaseManagement-Assignment',
      },
      expect.objectContaining({ ID: newer.nextAssignmentID }),
    ]);
    const next = await (await pega(caller, 'GET', '/assignments/next')).json();
    expect(next).toMatchObject({ ID: older.nextAssignmentID });
    const stranger = await apiCaller();
    expect(await (await pega(stranger, 'GET', '/assignments')).json()).toEqual({ assignments: [] });
    await expectPegaError(await pega(stranger, 'GET', '/assignments/next'), 404, 'not_found');
  });

  it('saves without advancing with saveOnly=true', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const saved = await pega(
      caller,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest&saveOnly=true`,
      { content: { RequestID: 'draft' }, pageInstructions: [] },
    );
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ nextAssignmentID: created.nextAssignmentID });
    const again = await (
      await pega(caller, 'GET', assignmentPath(created.nextAssignmentID))
    ).json();
    expect(again).toMatchObject({ name: 'Enter the request' });
    const read = await (await pega(caller, 'GET', casePath(created.ID))).json<{
      content: Record<string, unknown>;
      status: string;
    }>();
    expect(read.content.RequestID).toBe('draft');
  });

  it('lets exactly one of two simultaneous submissions advance the case', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const submit = (detail: string) =>
      pega(caller, 'POST', `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`, {
        content: { RequestID: 'R', RequestDetail: detail },
        pageInstructions: [],
      });
    const responses = await Promise.all([submit('one'), submit('two')]);
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const read = await (await pega(caller, 'GET', casePath(created.ID))).json<{
      stage: { ID: string };
    }>();
    expect(read.stage.ID).toBe('ReviewRequest');
    // A late copy of the first step's submission lost the same race: 409, nothing written.
    const late = await submit('late');
    expect(late.status).toBe(409);
    const after = await (await pega(caller, 'GET', casePath(created.ID))).json<{
      content: Record<string, unknown>;
    }>();
    expect(after.content.RequestDetail).not.toBe('late');
  });

  it('refuses an unknown action, page instructions it cannot apply, and bad values, saving nothing', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const path = assignmentPath(created.nextAssignmentID);
    await expectPegaError(await pega(caller, 'GET', `${path}/actions/Nope`), 400, 'Pega_API_001');
    await expectPegaError(
      await pega(caller, 'POST', `${path}?actionID=Nope`, { content: {}, pageInstructions: [] }),
      400,
      'Pega_API_001',
    );
    await expectPegaError(await pega(caller, 'POST', path, { content: {} }), 400, 'Pega_API_001');
    const instructions = await pega(caller, 'POST', `${path}?actionID=SubmitRequest`, {
      content: { RequestID: 'x', RequestDetail: 'y' },
      pageInstructions: [{ instruction: 'APPEND', target: 'Items', content: {} }],
    });
    await expectPegaError(instructions, 400, 'Pega_API_001');
    const typed = await pega(caller, 'POST', `${path}?actionID=SubmitRequest`, {
      content: { RequestID: 'x', RequestDetail: 'y', Budget: 'lots', Unknown: 1 },
      pageInstructions: [],
    });
    const error = await expectPegaError(typed, 400, 'Pega_API_001');
    expect(error.ValidationMessages?.map((message) => message.Path).sort()).toEqual([
      '.Budget',
      '.Unknown',
    ]);
    expect((await pega(caller, 'GET', casePath(created.ID))).headers.get('ETag')).toBe('"1"');
  });

  it('needs assignments:read to read and assignments:perform to submit', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const readOnly = await issueToken(caller, { scope: 'cases:read assignments:read' });
    const noAssignments = await issueToken(caller, { scope: 'cases:read cases:create' });
    await expectPegaError(await api('GET', '/assignments', noAssignments), 403, 'Pega_API_019');
    expect((await api('GET', assignmentPath(created.nextAssignmentID), readOnly)).status).toBe(200);
    await expectPegaError(
      await api(
        'POST',
        `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
        readOnly,
        {
          content: { RequestID: 'x', RequestDetail: 'y' },
        },
      ),
      403,
      'Pega_API_019',
    );
  });
});

describe('routing to another operator', () => {
  it("lets a portal's client create a case that a back-office client works", async () => {
    const backOffice = await createOperator({
      accessGroup: {
        name: 'CNOW:BackOffice',
        privileges: ['cases:read', 'assignments:read', 'assignments:perform'],
        caseTypes: ['*'],
        caseVisibility: 'own',
      },
    });
    const routed = await defineType(
      requestType({
        ID: `Cnow-Routed-Work-${unique('Request')}`,
        idPrefix: 'B-',
        flow: requestType().flow.map((step, index) =>
          index === 1 ? { ...step, routeTo: backOffice.operatorID } : step,
        ),
      }),
    );
    const portal = await apiCaller();
    const worker = await registerClient({ operatorID: backOffice.operatorID });
    const workerCaller = { ...worker, token: await issueToken(worker) };

    const created = await createAsPega(portal, routed.ID);
    const submitted = await pega(
      portal,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
      { content: { RequestID: 'P1', RequestDetail: 'a pothole' }, pageInstructions: [] },
    );
    // Routed elsewhere: nothing more for the portal to perform.
    expect(await submitted.json()).toMatchObject({ nextAssignmentID: '', nextPageID: 'Confirm' });
    await expectPegaError(
      await pega(portal, 'GET', assignmentPath(created.nextAssignmentID)),
      404,
      'not_found',
    );
    const portalView = await (await pega(portal, 'GET', casePath(created.ID))).json<{
      assignments: { routedTo: string }[];
    }>();
    expect(portalView.assignments).toEqual([
      expect.objectContaining({ routedTo: backOffice.operatorID }),
    ]);

    const worklist = await (await pega(workerCaller, 'GET', '/assignments')).json<{
      assignments: { ID: string; caseID: string }[];
    }>();
    expect(worklist.assignments).toEqual([
      expect.objectContaining({ ID: created.nextAssignmentID, caseID: created.ID }),
    ]);
    // It may read the case it has to work, though it did not create it.
    expect((await pega(workerCaller, 'GET', casePath(created.ID))).status).toBe(200);
    const approved = await pega(
      workerCaller,
      'POST',
      `${assignmentPath(created.nextAssignmentID)}?actionID=ApproveRequest`,
      { content: {}, pageInstructions: [] },
    );
    expect(await approved.json()).toMatchObject({ nextAssignmentID: '', nextPageID: 'Confirm' });
    const done = await (await pega(portal, 'GET', casePath(created.ID))).json<{ status: string }>();
    expect(done.status).toBe('Resolved-Completed');
    // Once resolved, the back office no longer sees another team's case.
    await expectPegaError(
      await pega(workerCaller, 'GET', casePath(created.ID)),
      404,
      'Pega_API_011',
    );
  });
});

describe("a routed step's decision (security review 3)", () => {
  /** Enter (creator) → Review (Approved, routed to a reviewer) → Fulfil (creator). */
  async function decisionSetup() {
    const reviewer = await createOperator({
      accessGroup: {
        name: 'CNOW:Reviewers',
        privileges: ['cases:read', 'cases:update', 'assignments:read', 'assignments:perform'],
        caseTypes: ['*'],
        caseVisibility: 'own',
      },
    });
    const decided = await defineType({
      ID: `Cnow-Decide-Work-${unique('Request')}`,
      name: 'Decided request',
      idPrefix: 'DR-',
      startingProcesses: [{ ID: 'pyStartCase', name: 'Create request' }],
      fields: [
        { name: 'RequestID', type: 'string' },
        { name: 'Approved', type: 'boolean' },
        { name: 'Notes', type: 'string' },
        { name: 'Remark', type: 'string' },
      ],
      flow: [
        {
          ID: 'Enter',
          name: 'Enter',
          instructions: '',
          fields: [{ name: 'RequestID', required: true }],
          action: { ID: 'SubmitRequest', name: 'Submit' },
        },
        {
          ID: 'Review',
          name: 'Review',
          instructions: '',
          fields: [{ name: 'Approved', required: true }],
          action: { ID: 'Decide', name: 'Decide' },
          routeTo: reviewer.operatorID,
        },
        {
          ID: 'Fulfil',
          name: 'Fulfil',
          instructions: '',
          fields: [{ name: 'Notes', required: false }],
          action: { ID: 'Fulfil', name: 'Fulfil' },
        },
      ],
    });
    const creator = await apiCaller();
    const reviewerClient = await registerClient({ operatorID: reviewer.operatorID });
    const reviewerCaller = { ...reviewerClient, token: await issueToken(reviewerClient) };
    return { decided, creator, reviewerCaller };
  }

  const v2 = (caller: ApiCaller, method: string, path: string, body?: unknown, headers = {}) =>
    call(`/prweb/api/application/v2${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${caller.token}`,
        'Content-Type': 'application/json',
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  async function contentOf(caller: ApiCaller, id: string) {
    const response = await pega(caller, 'GET', casePath(id));
    expect(response.status).toBe(200);
    return {
      etag: response.headers.get('ETag') as string,
      content: (await response.json<{ content: Record<string, unknown> }>()).content,
    };
  }

  it('refuses a create that pre-fills a routed or later step, in v1 and v2, writing nothing', async () => {
    const { decided, creator } = await decisionSetup();
    const before = await rowCounts();
    const v1 = await pega(creator, 'POST', '/cases', {
      caseTypeID: decided.ID,
      content: { RequestID: 'A1', Approved: true, Notes: 'pre-filled' },
    });
    const v1Error = await expectPegaError(v1, 400, 'Pega_API_001');
    expect(v1Error.ValidationMessages?.map((message) => message.Path).sort()).toEqual([
      '.Approved',
      '.Notes',
    ]);
    const v2Create = await v2(creator, 'POST', '/cases', {
      caseTypeID: decided.ID,
      content: { Approved: 'true' },
    });
    expect(v2Create.status).toBe(422);
    const v2Error = await v2Create.json<{ errorDetails: Record<string, string>[] }>();
    expect(v2Error.errorDetails.map((item) => item.erroneousInputOutputIdentifier)).toContain(
      '.Approved',
    );
    expect(await rowCounts()).toEqual(before);
    // The create step's fields and fields no step collects are the creator's to set.
    const created = await pega(creator, 'POST', '/cases', {
      caseTypeID: decided.ID,
      content: { RequestID: 'A1', Remark: 'no step collects this' },
    });
    expect(created.status).toBe(201);
    // The creation forms leave out what a create may not set.
    const createForm = await v2(creator, 'GET', `/casetypes/${decided.ID}/actions/Create`);
    const form = await createForm.json<{ uiResources: { resources: { fields: object } } }>();
    expect(Object.keys(form.uiResources.resources.fields).sort()).toEqual(['Remark', 'RequestID']);
  });

  it("refuses a case-wide update of another operator's decision; its own operator may make it", async () => {
    const { decided, creator, reviewerCaller } = await decisionSetup();
    const { ID, nextAssignmentID } = await (
      await pega(creator, 'POST', '/cases', { caseTypeID: decided.ID, content: {} })
    ).json<{ ID: string; nextAssignmentID: string }>();
    const entered = await pega(
      creator,
      'POST',
      `${assignmentPath(nextAssignmentID)}?actionID=SubmitRequest`,
      { content: { RequestID: 'A2' } },
    );
    expect(entered.status).toBe(200);

    // At Review: the reviewer may set its own field case-wide; the creator may not.
    let current = await contentOf(creator, ID);
    await expectPegaError(
      await pega(
        creator,
        'PUT',
        casePath(ID),
        { content: { Approved: true } },
        {
          'If-Match': current.etag,
        },
      ),
      400,
      'Pega_API_001',
    );
    const reviewerView = await contentOf(reviewerCaller, ID);
    expect(
      (
        await pega(
          reviewerCaller,
          'PUT',
          casePath(ID),
          { content: { Approved: true } },
          {
            'If-Match': reviewerView.etag,
          },
        )
      ).status,
    ).toBe(204);
    const decision = await pega(
      reviewerCaller,
      'POST',
      `${assignmentPath(nextAssignmentID)}?actionID=Decide`,
      { content: { Approved: false } },
    );
    expect(decision.status).toBe(200);

    // At Fulfil, the creator's step: its own field yes, the reviewer's decision never.
    current = await contentOf(creator, ID);
    expect(current.content.Approved).toBe(false);
    const before = await rowCounts();
    const put = await pega(
      creator,
      'PUT',
      casePath(ID),
      { content: { Approved: true } },
      {
        'If-Match': current.etag,
      },
    );
    const putError = await expectPegaError(put, 400, 'Pega_API_001');
    expect(putError.ValidationMessages?.map((message) => message.Path)).toEqual(['.Approved']);
    const patch = await v2(
      creator,
      'PATCH',
      `${casePath(ID)}/actions/pyUpdateCaseDetails`,
      { content: { Approved: true, Notes: 'sneaked in beside it' } },
      { 'If-Match': current.etag },
    );
    expect(patch.status).toBe(422);
    const patchError = await patch.json<{ errorDetails: Record<string, string>[] }>();
    expect(patchError.errorDetails.map((item) => item.erroneousInputOutputIdentifier)).toContain(
      '.Approved',
    );
    expect(await rowCounts()).toEqual(before);
    expect((await contentOf(creator, ID)).content).toMatchObject({ Approved: false });
    expect((await contentOf(creator, ID)).content).not.toHaveProperty('Notes');

    const details = await v2(creator, 'GET', `${casePath(ID)}/actions/pyUpdateCaseDetails`);
    const detailsForm = await details.json<{ uiResources: { resources: { fields: object } } }>();
    expect(Object.keys(detailsForm.uiResources.resources.fields)).not.toContain('Approved');
    const fulfilled = await pega(
      creator,
      'PUT',
      casePath(ID),
      { content: { Notes: 'done' } },
      {
        'If-Match': current.etag,
      },
    );
    expect(fulfilled.status).toBe(204);
  });
});

describe('defining a flow', () => {
  it('refuses unknown fields, duplicate IDs and unknown operators with the path at fault', async () => {
    const base = requestType();
    const response = await admin('POST', '/casetypes', {
      ...base,
      flow: [
        { ...base.flow[0], fields: [{ name: 'Nope', required: true }] },
        { ...base.flow[1], ID: 'EnterRequest', routeTo: 'NoSuchOperator' },
      ],
    });
    const body = await expectOAuthError(response, 400, 'invalid_request');
    expect(validationPaths(body).sort()).toEqual(['.flow', '.flow.0.fields.0.name']);
    const unknownOperator = await admin('POST', '/casetypes', {
      ...base,
      flow: [{ ...base.flow[0], routeTo: 'NoSuchOperator' }],
    });
    const routeError = await expectOAuthError(unknownOperator, 400, 'invalid_request');
    expect(validationPaths(routeError)).toEqual(['.flow.0.routeTo']);
    const extra = await admin('POST', '/casetypes', {
      ...base,
      flow: [{ ...base.flow[0], color: 'red' }],
    });
    expect(validationPaths(await extra.json())).toEqual(['.flow.0.color']);
  });
});

describe('views generated from the field definitions', () => {
  it('gives each type its Pega control, two modes each, dates as YYYYMMDD', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const action = await (
      await pega(caller, 'GET', `${assignmentPath(created.nextAssignmentID)}/actions/SubmitRequest`)
    ).json<{ view: { groups: { layout: { groups: { field: DxField }[] } }[] } }>();
    const fields = Object.fromEntries(
      (action.view.groups[0]?.layout.groups ?? []).map(({ field }) => [field.reference, field]),
    );
    expect(fields.RequestID).toMatchObject({
      label: 'Request ID',
      required: true,
      readOnly: false,
      value: '',
      control: { type: 'pxTextInput' },
    });
    expect(fields.RequestDetail?.control.type).toBe('pxTextArea');
    expect(fields.Priority?.control).toMatchObject({
      type: 'pxDropdown',
      modes: [
        {
          listSource: 'locallist',
          options: [
            { key: 'low', value: 'low' },
            { key: 'high', value: 'high' },
          ],
        },
        expect.any(Object),
      ],
    });
    expect(fields.Budget?.control.type).toBe('pxNumber');
    expect(fields.Urgent?.control.type).toBe('pxCheckbox');
    expect(fields.DueDate).toMatchObject({ type: 'Date', control: { type: 'pxDateTime' } });
    for (const field of Object.values(fields)) expect(field.control.modes).toHaveLength(2);
  });
});

describe('storage round trips', () => {
  it('answers every read route in one level, and a submission in two', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const path = assignmentPath(created.nextAssignmentID);
    const reads = [
      '/assignments',
      '/assignments/next',
      path,
      `${path}/actions/SubmitRequest`,
      casePath(created.ID),
      `${casePath(created.ID)}/views/pyCaseInformation`,
      '/cases',
      '/casetypes',
      `/casetypes/${type.ID}`,
    ];
    for (const route of reads) {
      const recorder = recordStorage(env.DB, env.TOKENS);
      const response = await callWithEnv(
        { DB: recorder.DB, TOKENS: recorder.TOKENS },
        `/api/v1${route}`,
        { headers: { Authorization: `Bearer ${caller.token}` } },
      );
      expect(response.status, route).toBe(200);
      expect(recorder.record.levels, route).toBe(1);
    }
    const recorder = recordStorage(env.DB, env.TOKENS);
    const submitted = await callWithEnv(
      { DB: recorder.DB, TOKENS: recorder.TOKENS },
      `/api/v1${path}?actionID=SubmitRequest`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: { RequestID: 'x', RequestDetail: 'y' } }),
      },
    );
    expect(submitted.status).toBe(200);
    expect(recorder.record.levels).toBe(2);
  });

  it('writes nothing when the client is disabled between the read and the write', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    // Disable the client while its submission is between its two storage levels.
    const { db, ran: disabled } = aroundBatch(/^\s*UPDATE cases/, 'before', (real) =>
      real.prepare('UPDATE clients SET enabled = 0 WHERE id = ?').bind(caller.clientID).run(),
    );
    const response = await callWithEnv(
      { DB: db },
      `/api/v1${assignmentPath(created.nextAssignmentID)}?actionID=SubmitRequest`,
      {
        method: 'POST',
        headers: { Authorization: `Bearer ${caller.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ content: { RequestID: 'x', RequestDetail: 'y' } }),
      },
    );
    expect(disabled()).toBe(true);
    expect(response.status).toBe(409);
    const row = await env.DB.prepare('SELECT version, step_index FROM cases WHERE id = ?')
      .bind(created.ID)
      .first();
    expect(row).toEqual({ version: 1, step_index: 0 });
  });
});

describe('a step writes only its own fields, and a resolved case is closed', () => {
  const act = (caller: ApiCaller, id: string, action: string, content: object, save = false) =>
    pega(
      caller,
      'POST',
      `${assignmentPath(id)}?actionID=${action}${save ? '&saveOnly=true' : ''}`,
      {
        content,
        pageInstructions: [],
      },
    );

  it('refuses a change to a field another step collects, saved or submitted, and takes an echo of the stored value', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    const first = { RequestID: 'R-1', RequestDetail: 'pothole', Budget: '10' };
    expect((await act(caller, created.nextAssignmentID, 'SubmitRequest', first)).status).toBe(200);
    // The review step collects RequestDetail only.
    for (const save of [true, false]) {
      const refused = await act(
        caller,
        created.nextAssignmentID,
        'ApproveRequest',
        { RequestDetail: 'ok', RequestID: 'R-2' },
        save,
      );
      const error = await expectPegaError(refused, 400, 'Pega_API_001');
      expect(error.ValidationMessages?.map((message) => message.Path)).toEqual([
        '.content.RequestID',
      ]);
    }
    const read = await (await pega(caller, 'GET', casePath(created.ID))).json<{
      content: Record<string, unknown>;
    }>();
    expect(read.content).toMatchObject({ RequestID: 'R-1', RequestDetail: 'pothole' });
    // What it read, sent back as Pega's client sends it (numbers as strings), is no change.
    const echoed = await act(caller, created.nextAssignmentID, 'ApproveRequest', {
      ...first,
      RequestDetail: 'pothole, approved',
    });
    expect(echoed.status).toBe(200);
  });

  it('refuses PUT and every action on a resolved case with a Pega error, changing nothing', async () => {
    const caller = await apiCaller();
    const created = await createAsPega(caller);
    await act(caller, created.nextAssignmentID, 'SubmitRequest', {
      RequestID: 'R',
      RequestDetail: 'x',
    });
    await act(caller, created.nextAssignmentID, 'ApproveRequest', { RequestDetail: 'y' });
    const resolved = await pega(caller, 'GET', casePath(created.ID));
    const etag = resolved.headers.get('ETag') as string;
    expect((await resolved.json<{ status: string }>()).status).toBe('Resolved-Completed');
    for (const ifMatch of [etag, '*']) {
      const put = await pega(
        caller,
        'PUT',
        casePath(created.ID),
        { content: { RequestDetail: 'z' } },
        {
          'If-Match': ifMatch,
        },
      );
      const error = await expectPegaError(put, 409, 'Pega_API_001');
      expect(error.message).toMatch(/resolved/);
    }
    // A late approval is the race it lost: 409 as well.
    expect(
      (await act(caller, created.nextAssignmentID, 'ApproveRequest', { RequestDetail: 'z' }))
        .status,
    ).toBe(409);
    const after = await pega(caller, 'GET', casePath(created.ID));
    expect(after.headers.get('ETag')).toBe(etag);
    expect((await after.json<{ content: { RequestDetail: string } }>()).content.RequestDetail).toBe(
      'y',
    );
  });

  it('keeps a case workable when its flow loses the step it is at', async () => {
    const caller = await apiCaller();
    const body = requestType();
    await defineType(body);
    const created = await createAsPega(caller, body.ID);
    await act(caller, created.nextAssignmentID, 'SubmitRequest', {
      RequestID: 'R',
      RequestDetail: 'x',
    });
    // The type drops its review step while the case waits at it.
    const current = await admin('GET', `/casetypes/${body.ID}`);
    const replaced = await admin(
      'PUT',
      `/casetypes/${body.ID}`,
      { ...body, flow: [body.flow[0]] },
      { 'If-Match': current.headers.get('ETag') as string },
    );
    expect(replaced.status).toBe(200);
    const list = await (await pega(caller, 'GET', '/assignments')).json<{
      assignments: { ID: string; name: string }[];
    }>();
    expect(list.assignments).toContainEqual(
      expect.objectContaining({ ID: created.nextAssignmentID, name: 'Enter the request' }),
    );
    const open = await pega(caller, 'GET', assignmentPath(created.nextAssignmentID));
    expect(open.status).toBe(200);
    const done = await act(caller, created.nextAssignmentID, 'SubmitRequest', {
      RequestID: 'R',
      RequestDetail: 'x',
    });
    expect(done.status).toBe(200);
    const read = await (await pega(caller, 'GET', casePath(created.ID))).json<{ status: string }>();
    expect(read.status).toBe('Resolved-Completed');
  });
});

describe('CORS for browser clients', () => {
  it("answers the web client's preflight for GET /assignments and exposes ETag", async () => {
    const caller = await apiCaller();
    const origin = 'https://portal.example.com';
    const preflight = await callWithEnv({ CORS_ALLOWED_ORIGINS: origin }, '/api/v1/assignments', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    expect(preflight.headers.get('Access-Control-Allow-Headers')).toMatch(/Authorization/);
    const created = await createAsPega(caller);
    const actual = await callWithEnv(
      { CORS_ALLOWED_ORIGINS: origin },
      `/api/v1${assignmentPath(created.nextAssignmentID)}`,
      { headers: { Origin: origin, Authorization: `Bearer ${caller.token}` } },
    );
    expect(actual.headers.get('Access-Control-Expose-Headers')).toMatch(/ETag/);
  });
});
