import { assignmentIn } from '../case-api/cases';
import type { SubmitBody } from '../case-api/schemas';
import {
  assignmentNotFound,
  type OpenAssignment,
  submitAssignment,
  worklistReads,
} from '../domain/assignments';
import { mergedCaseContent } from '../domain/case-content';
import { caseTypesReads } from '../domain/case-types';
import { checkPageInstructions, type FoundCase } from '../domain/cases';
import { currentStep } from '../domain/flow';
import { navigateAssignment } from '../domain/navigation';
import { allReads, type Reads } from '../domain/reads';
import { checkIfMatch, type IfMatch } from '../domain/versioned';
import { notFound } from '../errors';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import { caseInfo, nextStepView } from './case-info';
import type { ViewQuery } from './cases';
import type { RefreshBody } from './schemas';
import { stepResources, type ViewType } from './ui-resources';

/** An open assignment as DX API v2 shows it: the case, and the step's form unless `none`. */
function assignmentAnswer(c: AppContext, assignment: OpenAssignment, viewType: ViewType) {
  const { item, caseType, step } = assignment;
  c.header('ETag', etagOf(item.version));
  return {
    data: { caseInfo: caseInfo(item, caseType, c.var.bearer.claims.operator, assignment.id) },
    ...(viewType !== 'none' && {
      uiResources: stepResources(caseType, item, step, viewType, assignment.id),
    }),
  };
}

/** 404 for an action the assignment does not offer (v2 never says which one it does). */
function offeredAction(assignment: OpenAssignment, actionId: string) {
  if (assignment.step.action.ID !== actionId) {
    throw notFound(`Assignment ${assignment.id} has no action ${actionId}.`);
  }
}

/** `GET /assignments/{ID}`. */
export async function getAssignmentHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<FoundCase | null>,
) {
  const { viewType } = input.query;
  const assignment = assignmentIn(c, input);
  return c.json(assignmentAnswer(c, assignment, viewType));
}

/** What `GET /assignments/next` reads beside the bearer check. */
export const nextAssignmentReads = (c: AppContext) =>
  allReads({
    worklist: worklistReads(c.env.DB, c.var.bearer.claims.operator, 1),
    caseTypes: caseTypesReads(c.env.DB),
  });

type NextFound = ReturnType<typeof nextAssignmentReads> extends Reads<infer T> ? T : never;

/**
 * `GET /assignments/next`: the operator's most urgent open assignment, then oldest, read in one
 * level with the case types (to draw its form); 404 when there is none.
 */
export async function nextAssignmentHandler(
  c: AppContext,
  { query: { viewType }, found }: Input<ViewQuery, undefined, undefined> & Found<NextFound>,
) {
  const [next] = found.worklist;
  const caseType = next && found.caseTypes.find((type) => type.id === next.item.caseTypeId);
  if (!next || !caseType) throw assignmentNotFound('next');
  const other = next.item.otherAssignments.find((candidate) => candidate.ID === next.id);
  const assignment = { id: next.id, item: next.item, caseType, step: next.step, other };
  return c.json(assignmentAnswer(c, assignment, viewType));
}

/** `GET /assignments/{ID}/actions/{actionID}`: the same, for the step's own action. */
export async function getAssignmentActionHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<FoundCase | null>,
) {
  const { viewType } = input.query;
  const assignment = assignmentIn(c, input);
  offeredAction(assignment, c.req.param('actionId') as string);
  return c.json(assignmentAnswer(c, assignment, viewType));
}

/** A submission or a save: the step's values written at the version the If-Match names. */
async function submitted(
  c: AppContext,
  input: Input<ViewQuery, SubmitBody, IfMatch> & Found<FoundCase | null>,
  saveOnly: boolean,
) {
  const { body, ifMatch, principal } = input;
  const actionId = c.req.param('actionId') as string;
  const assignment = assignmentIn(c, input, actionId);
  offeredAction(assignment, actionId);
  // A stale If-Match: 409 in DX API v2, with nothing written.
  checkIfMatch(ifMatch, assignment.item.version);
  const { item } = await submitAssignment(c.env.DB, principal, assignment, {
    actionId,
    content: body.content,
    pageInstructions: body.pageInstructions,
    saveOnly,
  });
  c.header('ETag', etagOf(item.version));
  return { assignment, item };
}

/**
 * `PATCH /assignments/{ID}/actions/{actionID}` with If-Match: the step submitted (two levels:
 * the assignment read beside the bearer check, then the write that holds only at the version
 * read). The next step's form follows, or a confirmation at the end.
 */
export async function performAssignmentActionHandler(
  c: AppContext,
  input: Input<ViewQuery, SubmitBody, IfMatch> & Found<FoundCase | null>,
) {
  const { assignment, item } = await submitted(c, input, false);
  const operatorId = input.principal.operator.id;
  return c.json(nextStepView(item, assignment.caseType, operatorId, input.query.viewType));
}

/**
 * `PATCH /assignments/{ID}/actions/{actionID}/save` with If-Match ("Save for later"): the values
 * checked by type only (required fields may stay blank) and written, the assignment left open
 * at the same step; the case with the step's form unless `viewType=none`.
 */
export async function saveAssignmentActionHandler(
  c: AppContext,
  input: Input<ViewQuery, SubmitBody, IfMatch> & Found<FoundCase | null>,
) {
  const { assignment, item } = await submitted(c, input, true);
  return c.json(assignmentAnswer(c, { ...assignment, item }, input.query.viewType));
}

/**
 * `PATCH /assignments/{ID}/actions/{actionID}/refresh` with If-Match: the values sent, checked
 * against the case type and merged into the case as a submission would, returned with the
 * form; nothing is saved. `.../recalculate` answers the same: the case types here declare no
 * calculated fields or when rules, so what it names is what the case holds (docs/choices.md).
 */
export async function refreshAssignmentActionHandler(
  c: AppContext,
  input: Input<undefined, RefreshBody, IfMatch> & Found<FoundCase | null>,
) {
  const { body, ifMatch } = input;
  const assignment = assignmentIn(c, input);
  offeredAction(assignment, c.req.param('actionId') as string);
  checkIfMatch(ifMatch, assignment.item.version);
  checkPageInstructions(body.pageInstructions);
  const { item, caseType } = assignment;
  const content = mergedCaseContent(caseType.fields, item.content, body.content);
  return c.json(assignmentAnswer(c, { ...assignment, item: { ...item, content } }, 'form'));
}

/**
 * `PATCH /assignments/{ID}/navigation_steps/{stepID}` with If-Match: a multi-step form's move to
 * an earlier screen (domain/assignments.ts navigateAssignment), answered as the assignment at
 * that screen with `nextAssignmentInfo` (the same assignment) and a new ETag.
 */
export async function navigateAssignmentHandler(
  c: AppContext,
  input: Input<ViewQuery, SubmitBody, IfMatch> & Found<FoundCase | null>,
) {
  const { body, ifMatch, principal } = input;
  const assignment = assignmentIn(c, input);
  checkIfMatch(ifMatch, assignment.item.version);
  const item = await navigateAssignment(
    c.env.DB,
    principal,
    assignment,
    c.req.param('stepId') as string,
    { content: body.content, pageInstructions: body.pageInstructions },
  );
  const step = currentStep(assignment.caseType, item) ?? assignment.step;
  return c.json({
    ...assignmentAnswer(c, { ...assignment, item, step }, input.query.viewType),
    nextAssignmentInfo: { ID: assignment.id, context: 'self', className: item.caseTypeId },
  });
}
