import { authorize } from '../case-api/bearer';
import { assignmentFor } from '../case-api/cases';
import type { SubmitBody } from '../case-api/schemas';
import {
  assignmentNotFound,
  flowAction,
  submitAssignment,
  worklistReads,
} from '../domain/assignments';
import { MAX_RECORDS } from '../domain/model';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Input } from '../http/operations';
import type * as z from '../zod';
import type { submitAssignmentQuerySchema } from './schemas';
import { actionView, assignmentView, nextView, worklistItemView } from './views';

async function worklist(c: AppContext, limit: number) {
  const { operator } = c.var.bearer.claims;
  const { found } = await authorize(c, worklistReads(c.env.DB, operator, limit));
  return found.map(({ item, step }) => worklistItemView(item, step));
}

/** `GET /assignments`: the operator's open assignments, most urgent first, then oldest. */
export async function worklistHandler(c: AppContext) {
  return c.json({ assignments: await worklist(c, MAX_RECORDS) });
}

/** `GET /assignments/next`: the one to work next. */
export async function nextAssignmentHandler(c: AppContext) {
  const [next] = await worklist(c, 1);
  if (!next) throw assignmentNotFound('next');
  return c.json(next);
}

export async function getAssignmentHandler(c: AppContext) {
  const { assignment } = await assignmentFor(c);
  c.header('ETag', etagOf(assignment.item.version));
  return c.json(assignmentView(assignment));
}

export async function getActionHandler(c: AppContext) {
  const { assignment } = await assignmentFor(c);
  flowAction(assignment, c.req.param('actionId') as string);
  c.header('ETag', etagOf(assignment.item.version));
  return c.json(actionView(assignment));
}

/** `POST /assignments/{ID}?actionID=`: 200 with where Pega's client goes next. */
export async function submitAssignmentHandler(
  c: AppContext,
  { query, body }: Input<z.infer<typeof submitAssignmentQuerySchema>, SubmitBody, undefined>,
) {
  const { principal, assignment } = await assignmentFor(c, query.actionID);
  const submitted = await submitAssignment(c.env.DB, principal, assignment, {
    actionId: query.actionID,
    content: body.content,
    pageInstructions: body.pageInstructions,
    saveOnly: query.saveOnly === 'true',
  });
  c.header('ETag', etagOf(submitted.item.version));
  return c.json(nextView(submitted.item, submitted.nextAssignmentId), 200);
}
