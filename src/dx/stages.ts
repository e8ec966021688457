import type { FoundCase } from '../domain/cases';
import { assignmentStep } from '../domain/flow';
import { startProcess } from '../domain/processes';
import { moveToStage } from '../domain/stages';
import type { IfMatch } from '../domain/versioned';
import type { AppContext } from '../http/context';
import { etagOf } from '../http/etag';
import type { Found, Input } from '../http/operations';
import type * as z from '../zod';
import { caseStagesView, nextStepView } from './case-info';
import { operatorOf, type ViewQuery, visible, withCase } from './cases';
import type { stageMoveQuerySchema } from './schemas';
import { reviewView, stepResources } from './ui-resources';

/** A case's life cycle in DX API v2: its stages, stage moves, optional processes. */

/** `GET /cases/{ID}/stages`: the case's life cycle, each stage with its process and steps. */
export function getCaseStagesHandler(c: AppContext, input: Found<FoundCase | null>) {
  const found = visible(c, input);
  c.header('ETag', etagOf(found.item.version));
  return c.json(caseStagesView(found.item, found.caseType));
}

/**
 * `PUT /cases/{ID}/stages/{stageID}` and `POST /cases/{ID}/stages/next` with If-Match: the case
 * moves stage (domain/stages.ts) and answers as a case action: where the caller goes next, and
 * with `viewType=form|page` the case's review view.
 */
export async function moveStageHandler(
  c: AppContext,
  input: Input<z.infer<typeof stageMoveQuerySchema>, undefined, IfMatch> & Found<FoundCase | null>,
) {
  const { query, ifMatch, principal } = input;
  const found = visible(c, input);
  const target = c.req.param('stageId') ?? 'next';
  const moved = await moveToStage(c.env.DB, principal, found, target, ifMatch, {
    cleanupProcesses: query.cleanupProcesses !== 'false',
  });
  c.header('ETag', etagOf(moved.item.version));
  const viewType = query.viewType ?? 'none';
  return c.json({
    ...nextStepView(moved.item, moved.caseType, operatorOf(c), 'none'),
    ...(viewType !== 'none' && { uiResources: reviewView(moved.caseType, 'pyReview') }),
  });
}

/**
 * `POST /cases/{ID}/processes/{processID}`: the optional process started as a further assignment
 * of the caller's (domain/processes.ts), answered with it as the next assignment, its form with
 * `viewType=form|page`, and the case's new ETag.
 */
export async function addProcessHandler(
  c: AppContext,
  input: Input<ViewQuery, undefined, undefined> & Found<FoundCase | null>,
) {
  const found = visible(c, input);
  const { found: started, assignmentId } = await startProcess(
    c.env.DB,
    input.principal,
    found,
    c.req.param('processId') as string,
  );
  const { item, caseType } = started;
  const step = assignmentStep(caseType, item, assignmentId);
  const viewType = input.query.viewType ?? 'none';
  return c.json({
    data: withCase(c, started, assignmentId),
    nextAssignmentInfo: { ID: assignmentId, context: 'self', className: item.caseTypeId },
    ...(step &&
      viewType !== 'none' && {
        uiResources: stepResources(caseType, item, step, viewType, assignmentId),
      }),
  });
}
