import {
  BULK_ACTION,
  type BulkFound,
  bulkActionsFor,
  bulkReads,
  runBulkAction,
} from '../domain/bulk';
import { checkPageInstructions, pyIdOf } from '../domain/cases';
import type { AppContext } from '../http/context';
import { dxErrorBody, dxStatus } from '../http/errors';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import { UPDATE_DETAILS } from './case-info';
import type { BulkBody, bulkActionsSchema, bulkQuerySchema } from './schemas';

/** `PATCH /cases?actionID=` and `POST /cases/bulk-actions` (domain/bulk.ts). */

/** The IDs a bulk call names, each once, in the order sent. */
const idsOf = (cases: { ID: string }[]) => [...new Set(cases.map((item) => item.ID))];

/** The cases a bulk body names, read beside the bearer check. */
export const bulkCasesInBody = (c: AppContext, input: { body: { cases: { ID: string }[] } }) =>
  bulkReads(c.env.DB, idsOf(input.body.cases));

/**
 * `PATCH /cases?actionID=`: 207 with each case's outcome as an HTTP status, and Pega's error
 * details for each refusal. Page instructions are refused for the whole call (400) first.
 */
export async function bulkCasesHandler(
  c: AppContext,
  input: Input<z.infer<typeof bulkQuerySchema>, BulkBody, undefined> & Found<BulkFound>,
) {
  const { query, body, principal, found } = input;
  checkPageInstructions(body.pageInstructions);
  const ids = idsOf(body.cases);
  const outcomes = await runBulkAction(
    c.env.DB,
    principal,
    ids,
    query.actionID,
    body.content,
    found,
  );
  const results = outcomes.map(({ id, error }) => ({
    ID: id,
    BusinessID: pyIdOf(id),
    status: String(error ? dxStatus(error) : 200),
    ...(error && { error: { errorDetails: dxErrorBody(error).errorDetails } }),
  }));
  const failureCount = results.filter((result) => result.status !== '200').length;
  return c.json({ successCount: results.length - failureCount, failureCount, results }, 207);
}

/** `POST /cases/bulk-actions`: the case-wide actions every listed case offers. */
export function bulkActionsHandler(
  c: AppContext,
  input: Input<undefined, z.infer<typeof bulkActionsSchema>, undefined> & Found<BulkFound>,
) {
  const { body, principal, found } = input;
  const actions = bulkActionsFor(principal, idsOf(body.cases), found);
  return c.json({
    availableActions: actions.map((ID) => (ID === BULK_ACTION ? UPDATE_DETAILS : { ID })),
  });
}
