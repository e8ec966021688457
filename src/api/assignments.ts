import { assignmentIn } from '../case-api/cases';
import type { SubmitBody } from '../case-api/schemas';
import {
  assignmentNotFound,
  flowAction,
  submitAssignment,
  worklistReads,
} from '../domain/assignments';
import type { FoundCase } from '../domain/cases';
import type { Reads } from '../domain/reads';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import type { submitAssignmentQuerySchema } from './schemas';
import { actionView, assignmentView, nextView, worklistItemView } from './views';

/** The operator's open assignments, most urgent first, then oldest: at most `limit`. */
export const worklistOf = (c: AppContext, limit: number) =>
  worklistReads(c.env.DB, c.var.bearer.claims.operator, limit);

type Worklist = ReturnType<typeof worklistOf> extends Reads<infer T> ? T : never;

/** `GET /assignments`: the operator's open assignments, most urgent first, then oldest. */
export async function worklistHandler(c: AppContext, { found }: Found<Worklist>) {
  return c.json({ assignments: found.map(worklistItemView) });
}

/** `GET /assignments/next`: the one to work next. */
export async function nextAssignmentHandler(c: AppContext, { found: [next] }: Found<Worklist>) {
  if (!next) throw assignmentNotFound('next');
  return c.json(worklistItemView(next));
}

export async function getAssignmentHandler(c: AppContext, input: Found<FoundCase | null>) {
  const assignment = assignmentIn(c, input);
  c.header('ETag', etagOf(assignment.item.version));
  return c.json(assignmentView(assignment));
}

export async function getActionHandler(c: AppContext, input: Found<FoundCase | null>) {
  const assignment = assignmentIn(c, input);
  flowAction(assignment, c.req.param('actionId') as string);
  c.header('ETag', etagOf(assignment.item.version));
  return c.json(actionView(assignment));
}

/** `POST /assignments/{ID}?actionID=`: 200 with where Pega's client goes next. */
export async function submitAssignmentHandler(
  c: AppContext,
  input: Input<z.infer<typeof submitAssignmentQuerySchema>, SubmitBody, undefined> &
    Found<FoundCase | null>,
) {
  const { query, body, principal } = input;
  const assignment = assignmentIn(c, input, query.actionID);
  const submitted = await submitAssignment(c.env.DB, principal, assignment, {
    actionId: query.actionID,
    content: body.content,
    pageInstructions: body.pageInstructions,
    saveOnly: query.saveOnly === 'true',
  });
  c.header('ETag', etagOf(submitted.item.version));
  return c.json(nextView(submitted.item, submitted.nextAssignmentId), 200);
}
