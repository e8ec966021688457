import { authorize, refusedAfterTokenCheck } from '../case-api/bearer';
import { createCaseFor, updateCaseFor } from '../case-api/cases';
import type { CreateCaseBody, SubmitBody } from '../case-api/schemas';
import { BLANK, mergedCaseContent } from '../domain/case-content';
import { deleteCase } from '../domain/case-deletion';
import {
  caseReads,
  checkPageInstructions,
  type FoundCase,
  isResolved,
  visibleCase,
} from '../domain/cases';
import { currentStep, nextAssignmentIdFor } from '../domain/flow';
import type { Case, CaseType, FieldDefinition } from '../domain/model';
import { moveToStage, stagesOf } from '../domain/stages';
import { checkIfMatch, type IfMatch } from '../domain/versioned';
import { caseResolved, caseTypeNotFound, notFound, validationFailed } from '../errors';
import { type AppContext, issuerOf } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import { CHANGE_STAGE, caseInfo, nextStepView, UPDATE_DETAILS } from './case-info';
import { detailsForm } from './casetypes';
import type { CalculatedFieldsBody, RefreshBody, viewQuerySchema } from './schemas';
import { caseTypeForm, embeddedPage, formPlace, reviewView } from './ui-resources';

/** The views of a case here: its details, read-only. */
const CASE_VIEWS = new Set(['pyReview', 'pyDetails']);

/** DX API v2's base path as the request used it (Pega's `/prweb` or not). */
export const dxBase = (c: AppContext) =>
  /^(\/prweb(\/app\/[^/]+)?)?\/api\/application\/v2/.exec(c.req.path)?.[0] ?? '/api/application/v2';

/** `?viewType=` (dx/schemas.ts): uiResources come unless `none`; `page` where there is no form. */
export type ViewQuery = z.infer<typeof viewQuerySchema>;

export const operatorOf = (c: AppContext) => c.var.bearer.claims.operator;

/** The case in the path as the bearer may see it, read beside the bearer check; else 404. */
/** The case in the path as the bearer may see it; else 404. */
export const visible = (c: AppContext, { principal, found }: Found<FoundCase | null>): FoundCase =>
  visibleCase(principal, c.req.param('id') as string, found);

/** An answer that carries a case: its caseInfo, and the ETag of its version. */
export function withCase(c: AppContext, { item, caseType }: FoundCase, current?: string) {
  c.header('ETag', etagOf(item.version));
  return { caseInfo: caseInfo(item, caseType, operatorOf(c), current) };
}

/** `POST /cases`: 201 with the top-level ID, and the next step (its form unless `none`). */
export async function createCaseHandler(
  c: AppContext,
  { query: { viewType }, body }: Input<ViewQuery, CreateCaseBody, undefined>,
) {
  const { item, caseType } = await createCaseFor(c, body, undefined);
  if (!caseType) throw caseTypeNotFound(404, item.caseTypeId);
  c.header('Location', `${issuerOf(c)}${dxBase(c)}/cases/${encodeURIComponent(item.id)}`);
  c.header('ETag', etagOf(item.version));
  return c.json({ ID: item.id, ...nextStepView(item, caseType, operatorOf(c), viewType) }, 201);
}

/** `GET /cases/{ID}`: the case; its details view with `viewType=page`. */
export async function getCaseHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<FoundCase | null>,
) {
  const { viewType } = input.query;
  const found = visible(c, input);
  return c.json({
    data: withCase(c, found),
    ...(viewType === 'page' && { uiResources: casePage(c, found) }),
  });
}

/**
 * A case in page mode: its open step embedded as Pega's engine draws it, where that step is the
 * caller's to work; else its details, read-only.
 */
function casePage(c: AppContext, { item, caseType }: FoundCase) {
  const step = currentStep(caseType, item);
  return step && nextAssignmentIdFor(item, operatorOf(c))
    ? embeddedPage(caseType, step, formPlace(caseType, item))
    : reviewView(caseType, 'pyDetails');
}

/** `DELETE /cases/{ID}`: the case withdrawn while in its create stage (domain/case-deletion.ts). */
export async function deleteCaseHandler(c: AppContext, input: Found<FoundCase | null>) {
  await deleteCase(c.env.DB, c.env.ATTACHMENTS, input.principal, visible(c, input));
  return c.json({});
}

/**
 * `DELETE /cases/{ID}/updates`: releases the caller's hold on the case. Writes here compare and
 * set on the case's version, so nothing is held: the case, unchanged, with its details.
 */
export function releaseCaseHandler(c: AppContext, input: Found<FoundCase | null>) {
  const found = visible(c, input);
  return c.json({ data: withCase(c, found), uiResources: reviewView(found.caseType, 'pyDetails') });
}

/** `GET /cases/{ID}/views/{viewID}`: pyReview or pyDetails, every field read-only. */
export async function getCaseViewHandler(c: AppContext, input: Found<FoundCase | null>) {
  const found = visible(c, input);
  const viewId = c.req.param('viewId') as string;
  if (!CASE_VIEWS.has(viewId)) throw notFound(`Case ${found.item.id} has no view ${viewId}.`);
  return c.json({ data: withCase(c, found), uiResources: reviewView(found.caseType, viewId) });
}

/** 404 unless `actionId` is a case action here. */
function checkCaseAction(caseId: string, actionId: string) {
  if (actionId !== UPDATE_DETAILS.ID && actionId !== CHANGE_STAGE.ID) {
    throw notFound(
      `Case ${caseId} has no action ${actionId}; ${UPDATE_DETAILS.ID} and ${CHANGE_STAGE.ID} only.`,
    );
  }
}

/** What pyChangeStage's form collects: the stage to go to (required), and a note for the history. */
const changeStageFields = (caseType: CaseType, item: Case): FieldDefinition[] => [
  {
    name: 'pyGotoStage',
    label: 'Go to stage',
    type: 'string',
    required: true,
    enum: stagesOf(caseType, item).map((stage) => stage.ID),
  },
  { name: 'pyAuditNote', label: 'Note', type: 'string', required: false, maxLength: 1000 },
];

/** pyChangeStage's form. */
const changeStageForm = (caseType: CaseType, item: Case) =>
  caseTypeForm(
    { ...caseType, fields: changeStageFields(caseType, item) },
    CHANGE_STAGE.ID,
    true,
    new Map(),
  );

/** The case action in the path on an open case the caller may see, and its form. */
function caseActionOf(c: AppContext, input: Found<FoundCase | null>) {
  const found = visible(c, input);
  const actionId = c.req.param('actionId') as string;
  checkCaseAction(found.item.id, actionId);
  if (isResolved(found.item)) throw caseResolved(found.item.id);
  const form =
    actionId === CHANGE_STAGE.ID
      ? changeStageForm(found.caseType, found.item)
      : detailsForm(found.caseType, operatorOf(c));
  return { found, actionId, form };
}

/**
 * `GET /cases/{ID}/actions/pyUpdateCaseDetails` (a form of every field, nothing required) or
 * `pyChangeStage` (the stage to go to).
 */
export async function getCaseActionHandler(c: AppContext, input: Found<FoundCase | null>) {
  const { found, form } = caseActionOf(c, input);
  return c.json({ data: withCase(c, found), uiResources: form });
}

/**
 * `PATCH /cases/{ID}/actions/{actionID}/refresh` and `.../recalculate` with If-Match: the values
 * sent, checked against the action's form and merged into the case, returned with the form;
 * nothing is saved (as an assignment's refresh, dx/assignments.ts).
 */
export async function refreshCaseActionHandler(
  c: AppContext,
  input: Input<undefined, RefreshBody, IfMatch> & Found<FoundCase | null>,
) {
  const { found, actionId, form } = caseActionOf(c, input);
  checkIfMatch(input.ifMatch, found.item.version);
  checkPageInstructions(input.body.pageInstructions);
  const { item, caseType } = found;
  const fields =
    actionId === CHANGE_STAGE.ID
      ? changeStageFields(caseType, item)
      : caseType.fields.filter((field) => field.name in form.resources.fields);
  const content = mergedCaseContent(fields, item.content, input.body.content);
  return c.json({
    data: withCase(c, { item: { ...item, content }, caseType }),
    uiResources: form,
  });
}

/**
 * `POST /cases/{ID}/views/{viewID}/calculated_fields`: the values of the fields asked for that the
 * view shows (a review view shows every field, a step's form its own), and no others.
 */
export async function calculatedFieldsHandler(
  c: AppContext,
  input: Input<undefined, CalculatedFieldsBody, undefined> & Found<FoundCase | null>,
) {
  const { item, caseType } = visible(c, input);
  const viewId = c.req.param('viewId') as string;
  const step = caseType.flow.find((candidate) => candidate.action.ID === viewId);
  const shown = CASE_VIEWS.has(viewId)
    ? new Set(caseType.fields.map((field) => field.name))
    : step && new Set(step.fields.map((field) => field.name));
  if (!shown) throw notFound(`Case ${item.id} has no view ${viewId}.`);
  const asked = (input.body.calculations.fields ?? []).map((field) => field.name);
  const content = Object.fromEntries(
    asked.filter((name) => shown.has(name)).map((name) => [name, item.content[name] ?? '']),
  );
  return c.json({ data: { caseInfo: { content } } });
}

/** PATCH pyChangeStage: the case moves to the stage its form names (domain/stages.ts). */
async function changeStage(c: AppContext, id: string, body: SubmitBody, ifMatch: IfMatch) {
  const { principal, found } = await authorize(c, caseReads(c.env.DB, id));
  const visibleFound = visibleCase(principal, id, found);
  const { pyGotoStage: target, pyAuditNote: note } = body.content;
  if (typeof target !== 'string' || target === '') {
    throw validationFailed('The case action is invalid.', [
      { path: '.pyGotoStage', message: BLANK, label: 'Go to stage' },
    ]);
  }
  return moveToStage(c.env.DB, principal, visibleFound, target, ifMatch, {
    note: typeof note === 'string' && note !== '' ? note.slice(0, 1000) : undefined,
  });
}

/**
 * `PATCH /cases/{ID}/actions/pyUpdateCaseDetails` with If-Match: the values merged into the case
 * as API v1's PUT merges them (one level where the case type is cached).
 */
export async function performCaseActionHandler(
  c: AppContext,
  { query: { viewType }, body, ifMatch }: Input<ViewQuery, SubmitBody, IfMatch>,
) {
  const id = c.req.param('id') as string;
  const actionId = c.req.param('actionId') as string;
  await refusedAfterTokenCheck(c, () => checkCaseAction(id, actionId));
  const updated =
    actionId === CHANGE_STAGE.ID
      ? await changeStage(c, id, body, ifMatch)
      : await updateCaseFor(c, id, ifMatch, body.content, body.pageInstructions);
  c.header('ETag', etagOf(updated.item.version));
  return c.json(nextStepView(updated.item, updated.caseType, operatorOf(c), viewType));
}
