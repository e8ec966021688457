import { caseResolved, conflict, ifMatchFailed, notFound } from '../errors';
import { writeCase } from '../store/case-writes';
import { allOf, caseVisibleTo, operatorMayUse, principalStillHolds } from '../store/guards';
import { caseActor, type FoundCase, isResolved } from './cases';
import { routeOf, stepIndexIn } from './flow';
import { CASE_STATUS, type Case, type CaseType, type FlowStep, type Principal } from './model';
import { checkIfMatch, type IfMatch } from './versioned';

/**
 * A case's life cycle as Pega's stages (DX case model §1), as read. A case type defined with a
 * flow of steps has one primary stage per step, named after it (the model's migration rule), so
 * its answers stay as they were (`stageID` is the step's ID): the first is the create stage,
 * the last resolves the case. Defined stages, alternate stages and stage moves come with the
 * rest of the life cycle.
 */

export type VisitedStatus = 'completed' | 'active' | 'future';

export interface Stage {
  ID: string;
  name: string;
  type: 'Primary' | 'Alternate';
  transitionType: 'create' | 'automatic' | 'manual' | 'resolution';
  visited_status: VisitedStatus;
  /** When the case entered it: known here for the active stage. */
  entryTime?: string;
  /** The steps it runs, in order. */
  steps: { ID: string; name: string; visited_status: VisitedStatus }[];
}

export function stagesOf(caseType: CaseType, item: Case): Stage[] {
  const { flow } = caseType;
  // A resolved case (no open step) has every stage completed.
  const current = stepIndexIn(flow, item);
  return flow.map((step, index) => {
    const visited: VisitedStatus =
      current === null || index < current ? 'completed' : index === current ? 'active' : 'future';
    return {
      ID: step.ID,
      name: step.name,
      type: 'Primary',
      transitionType:
        index === 0 ? 'create' : index === flow.length - 1 ? 'resolution' : 'automatic',
      visited_status: visited,
      ...(visited === 'active' && item.assignedAt !== null && { entryTime: item.assignedAt }),
      steps: [{ ID: step.ID, name: step.name, visited_status: visited }],
    };
  });
}

/**
 * A stage move (`PUT /cases/{ID}/stages/{stageID}`, `POST .../stages/next`): the case leaves
 * its stage and enters the target, starting the target's first step, routed as that step says;
 * the step it leaves is withdrawn. Only while the case is open, at the If-Match version, and
 * only as a compare-and-set guarded as every write is; written to the case's history. `next`
 * from the last primary stage is 409; an unknown stage 404.
 */
export async function moveToStage(
  db: D1Database,
  principal: Principal,
  { item, caseType }: FoundCase,
  target: string,
  ifMatch: IfMatch,
  note?: string,
): Promise<FoundCase> {
  if (isResolved(item)) throw caseResolved(item.id);
  checkIfMatch(ifMatch, item.version);
  const stages = stagesOf(caseType, item);
  const from = stages.findIndex((stage) => stage.visited_status === 'active');
  const to = target === 'next' ? from + 1 : stages.findIndex((stage) => stage.ID === target);
  if (target !== 'next' && to < 0) {
    throw notFound(`Case ${item.id} has no stage ${target}.`);
  }
  if (to >= stages.length) {
    throw conflict(`Case ${item.id} is in its last stage: there is no next one.`);
  }
  const step = caseType.flow[to] as FlowStep;
  const written = await writeCase(
    db,
    item,
    {
      content: item.content,
      status: CASE_STATUS.open,
      operatorId: principal.operator.id,
      at: new Date().toISOString(),
      step: { index: to, assignedTo: routeOf(step, item) },
    },
    {
      actor: caseActor(principal),
      action: 'case.stage',
      detail: { from: stages[from]?.ID ?? null, to: step.ID, ...(note && { note }) },
    },
    allOf(
      principalStillHolds(principal, 'cases:update'),
      operatorMayUse(principal.operator.id, item.caseTypeId),
      caseVisibleTo(item.id, principal.operator.id),
    ),
  );
  // Another write came first (its version moved), or the principal did.
  if (!written) throw ifMatchFailed();
  return { item: written, caseType };
}
