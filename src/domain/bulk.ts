import { AppError, caseNotFound, caseResolved, conflict, invalidRequest } from '../errors';
import { casesByIdRead } from '../store/case-hierarchy';
import { patchCaseStatements } from '../store/case-writes';
import { allOf, caseTypeAt, principalStillHolds } from '../store/guards';
import { maySeeCase } from './access';
import { checkedChanges, MAX_CONTENT_BYTES } from './case-content';
import { caseTypesReads } from './case-types';
import { caseActor, isResolved } from './cases';
import { closedFields } from './flow';
import type { Case, CaseType, Principal } from './model';
import { allReads, type Reads, runReads } from './reads';

/**
 * Bulk actions (`PATCH /cases?actionID=`): a case-wide action run on each listed case on its
 * own, at the version it has now. Two levels whatever the number of cases: the cases and their
 * types are read in the batch beside the bearer check, and every write goes in one batch in
 * which each case's write carries its own guards, so one refused case never stops or undoes
 * another's.
 */

/** At most this many cases per call; more is a 400. */
export const MAX_BULK_CASES = 100;

/** The case-wide action a bulk call may run: an edit of the case's fields. */
export const BULK_ACTION = 'pyUpdateCaseDetails';

/** The listed cases (those that exist) and every case type, beside the bearer check. */
export const bulkReads = (db: D1Database, ids: string[]) =>
  allReads({ cases: casesByIdRead(db, ids), caseTypes: caseTypesReads(db) });

export interface BulkFound {
  cases: Case[];
  caseTypes: CaseType[];
}

/** One case's outcome: the case as written, or why not. */
export interface BulkOutcome {
  id: string;
  item: Case | undefined;
  error: AppError | undefined;
}

/** What a bulk read found, by ID. */
const indexOf = (found: BulkFound) => ({
  byId: new Map(found.cases.map((item) => [item.id, item])),
  types: new Map(found.caseTypes.map((caseType) => [caseType.id, caseType])),
});

/** The case `id` as the principal may act on it with `actionId`, and its type; else why not. */
function actionable(
  principal: Principal,
  id: string,
  actionId: string,
  found: { byId: Map<string, Case>; types: Map<string, CaseType> },
): { item: Case; caseType: CaseType } | AppError {
  const item = found.byId.get(id);
  const caseType = item && found.types.get(item.caseTypeId);
  if (!item || !caseType || !maySeeCase(principal.operator, item)) return caseNotFound(id);
  if (actionId !== BULK_ACTION) {
    return invalidRequest(`The action ${actionId} cannot be run in bulk; ${BULK_ACTION} only.`);
  }
  if (isResolved(item)) return caseResolved(id);
  return { item, caseType };
}

const asAppError = (error: unknown) => {
  if (error instanceof AppError) return error;
  throw error;
};

/**
 * The case-wide actions open on every listed case: 404 for one the principal may not see, none
 * when any is resolved.
 */
export function bulkActionsFor(principal: Principal, ids: string[], found: BulkFound): string[] {
  const indexed = indexOf(found);
  const refusals = ids.map((id) => actionable(principal, id, BULK_ACTION, indexed));
  const hidden = refusals.find((refusal) => refusal instanceof AppError && refusal.status === 404);
  if (hidden) throw hidden;
  return refusals.some((refusal) => refusal instanceof AppError) ? [] : [BULK_ACTION];
}

/**
 * Runs `actionId` (pyUpdateCaseDetails: `changes` merged) on each of `ids`, in order, each at
 * the version read. Refusals are per case: 404 (absent or not visible), 400 (not an action of
 * a case), 409 (resolved, or changed between the read and the write), or the field errors of
 * its own case type.
 */
export async function runBulkAction(
  db: D1Database,
  principal: Principal,
  ids: string[],
  actionId: string,
  changes: Record<string, unknown>,
  found: BulkFound,
): Promise<BulkOutcome[]> {
  const indexed = indexOf(found);
  const at = new Date().toISOString();
  const actor = caseActor(principal);
  type Planned =
    | { id: string; error: AppError }
    | { id: string; item: Case; write: Reads<Case | null> };
  const planned = ids.map((id): Planned => {
    const target = actionable(principal, id, actionId, indexed);
    if (target instanceof AppError) return { id, error: target };
    const { item, caseType } = target;
    let values: ReturnType<typeof checkedChanges>;
    try {
      const closed = closedFields(caseType.flow, principal.operator.id, { creating: false });
      values = checkedChanges(caseType.fields, changes, closed);
    } catch (error) {
      return { id, error: asAppError(error) };
    }
    const write = patchCaseStatements(
      db,
      id,
      caseType.id,
      {
        values,
        operatorId: principal.operator.id,
        at,
        versions: [item.version],
        maxBytes: MAX_CONTENT_BYTES,
      },
      { actor, action: 'case.update', detail: { fields: Object.keys(changes), bulk: true } },
      allOf(
        principalStillHolds(principal, 'cases:update'),
        caseTypeAt(caseType.id, caseType.version),
      ),
    );
    return { id, item, write };
  });
  const writes: Record<string, Reads<Case | null>> = {};
  planned.forEach((plan, index) => {
    if ('write' in plan) writes[index] = plan.write;
  });
  const written = await runReads(db, allReads(writes));
  return planned.map((plan, index): BulkOutcome => {
    if (!('write' in plan)) return { id: plan.id, item: undefined, error: plan.error };
    const item = written[index];
    if (item)
      return {
        id: plan.id,
        item: { ...item, caseTypeName: plan.item.caseTypeName },
        error: undefined,
      };
    return {
      id: plan.id,
      item: undefined,
      error: conflict(`Case ${plan.id} changed while this action was run on it; run it again.`),
    };
  });
}
