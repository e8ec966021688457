import { caseResolved, conflict, ifMatchFailed, notFound } from '../errors';
import { writeCase } from '../store/case-writes';
import { caseChangeHolds } from '../store/guards';
import { caseActor, type FoundCase, isResolved } from './cases';
import { freeAssignmentId, routeOf, stepIndexIn } from './flow';
import {
  CASE_STATUS,
  type Case,
  type CaseType,
  type FlowStep,
  type OtherAssignment,
  type Principal,
  type StageDefinition,
} from './model';
import { checkIfMatch, type IfMatch } from './versioned';

/**
 * A case's life cycle as Pega's stages (DX case model §1). A case type defined without stages
 * has one primary stage per step, named after it (the model's migration rule), so its answers
 * stay as they were (`stageID` is the step's ID). A case is at one step of the flow; its stage
 * is the one that runs that step.
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

/** A stage as defined, with the flow indexes of its steps. */
export interface LifeStage extends StageDefinition {
  indexes: number[];
}

/** The case type's stages in life-cycle order (primary, then alternate), each with its steps. */
export function lifeCycleOf(caseType: Pick<CaseType, 'flow' | 'stages'>): LifeStage[] {
  const { flow, stages } = caseType;
  if (!stages) {
    return flow.map((step, index) => ({
      ID: step.ID,
      name: step.name,
      type: 'Primary',
      steps: [step.ID],
      indexes: [index],
    }));
  }
  const indexOf = new Map(flow.map((step, index) => [step.ID, index]));
  return stages.map((stage) => ({
    ...stage,
    indexes: stage.steps.flatMap((id) => {
      const index = indexOf.get(id);
      return index === undefined ? [] : [index];
    }),
  }));
}

/** The stage that runs flow step `index`, by its place in the life cycle. */
const stageAt = (life: LifeStage[], index: number) =>
  life.findIndex((stage) => stage.indexes.includes(index));

/** What completing flow step `index` leads to: the next step, or the case resolved. */
export function afterStep(
  caseType: Pick<CaseType, 'flow' | 'stages'>,
  index: number,
): { index: number } | { resolvedAs: string } {
  const life = lifeCycleOf(caseType);
  const at = stageAt(life, index);
  const stage = life[at];
  const next = index + 1;
  // Within its stage, or on to the next primary stage from a primary one.
  if (stage?.indexes.includes(next)) return { index: next };
  const following = life[at + 1];
  if (stage?.type === 'Primary' && following?.type === 'Primary' && following.indexes.length) {
    return { index: following.indexes[0] as number };
  }
  return { resolvedAs: stage?.resolutionStatus ?? CASE_STATUS.resolved };
}

const transitionOf = (life: LifeStage[], index: number): Stage['transitionType'] => {
  const stage = life[index] as LifeStage;
  if (stage.type === 'Alternate') return 'resolution';
  if (index === 0) return 'create';
  const lastPrimary = life.filter((candidate) => candidate.type === 'Primary').length - 1;
  return index === lastPrimary ? 'resolution' : 'automatic';
};

export function stagesOf(caseType: CaseType, item: Case): Stage[] {
  const life = lifeCycleOf(caseType);
  // A resolved case (no open step) has every stage completed.
  const current = stepIndexIn(caseType.flow, item);
  const active = current === null ? life.length : stageAt(life, current);
  return life.map((stage, index) => {
    const visited: VisitedStatus =
      index < active ? 'completed' : index === active ? 'active' : 'future';
    return {
      ID: stage.ID,
      name: stage.name,
      type: stage.type,
      transitionType: transitionOf(life, index),
      visited_status: visited,
      ...(visited === 'active' && item.assignedAt !== null && { entryTime: item.assignedAt }),
      steps: stage.indexes.map((at) => {
        const step = caseType.flow[at] as FlowStep;
        const status: VisitedStatus =
          visited !== 'active' || current === null
            ? visited
            : at < current
              ? 'completed'
              : at === current
                ? 'active'
                : 'future';
        return { ID: step.ID, name: step.name, visited_status: status };
      }),
    };
  });
}

/**
 * A stage move (`PUT /cases/{ID}/stages/{stageID}`, `POST .../stages/next`): the case leaves
 * its stage and enters the target, starting the target's first step, routed as that step says;
 * the step it leaves is withdrawn. A target with no step (an alternate stage that only
 * resolves) resolves the case with its status. Only while the case is open, at the If-Match
 * version, and only as a compare-and-set guarded as every write is; written to the case's
 * history. `next` from the last primary stage or an alternate one is 409; an unknown stage 404.
 */
export async function moveToStage(
  db: D1Database,
  principal: Principal,
  { item, caseType }: FoundCase,
  target: string,
  ifMatch: IfMatch,
  options: { note?: string | undefined; cleanupProcesses?: boolean } = {},
): Promise<FoundCase> {
  const { note, cleanupProcesses = true } = options;
  if (isResolved(item)) throw caseResolved(item.id);
  checkIfMatch(ifMatch, item.version);
  const life = lifeCycleOf(caseType);
  const current = stepIndexIn(caseType.flow, item) ?? 0;
  const from = stageAt(life, current);
  const to = target === 'next' ? from + 1 : life.findIndex((stage) => stage.ID === target);
  if (target !== 'next' && to < 0) {
    throw notFound(`Case ${item.id} has no stage ${target}.`);
  }
  const stage = life[to];
  if (target === 'next' && (life[from]?.type !== 'Primary' || stage?.type !== 'Primary')) {
    throw conflict(`Case ${item.id} is in its last stage: there is no next one.`);
  }
  if (!stage) throw conflict(`Case ${item.id} is in its last stage: there is no next one.`);
  const first = stage.indexes[0];
  const step = first === undefined ? undefined : (caseType.flow[first] as FlowStep);
  const at = new Date().toISOString();
  const written = await writeCase(
    db,
    item,
    {
      content: item.content,
      status: step ? CASE_STATUS.open : (stage.resolutionStatus ?? CASE_STATUS.resolved),
      operatorId: principal.operator.id,
      at,
      step:
        step && first !== undefined
          ? { index: first, assignedTo: routeOf(step, item) }
          : { index: null, assignedTo: null },
      otherAssignments: step
        ? othersAfterMove(caseType, item, life[from], cleanupProcesses, at)
        : [],
    },
    {
      actor: caseActor(principal),
      action: 'case.stage',
      detail: {
        from: life[from]?.ID ?? null,
        to: stage.ID,
        ...(note && { note }),
        ...(!cleanupProcesses && { cleanupProcesses: false }),
      },
    },
    caseChangeHolds(principal, item),
  );
  // Another write came first (its version moved), or the principal did.
  if (!written) throw ifMatchFailed();
  return { item: written, caseType };
}

/**
 * The case's other assignments after it leaves stage `left`: with `cleanupProcesses`, those of
 * the left stage go (its optional processes, and steps of it left open before); without, they
 * stay, and the main flow's open step is left open beside them as one more.
 */
function othersAfterMove(
  caseType: CaseType,
  item: Case,
  left: LifeStage | undefined,
  cleanupProcesses: boolean,
  at: string,
): OtherAssignment[] {
  const leftSteps = new Set(left?.indexes.map((index) => caseType.flow[index]?.ID));
  const stageOf = (other: OtherAssignment) =>
    caseType.processes?.find((process) => process.ID === other.processId)?.stage;
  if (cleanupProcesses) {
    return item.otherAssignments.filter(
      (other) => !leftSteps.has(other.stepId) && (stageOf(other) ?? '') !== left?.ID,
    );
  }
  const open = item.stepIndex === null ? undefined : caseType.flow[item.stepIndex];
  if (!open || item.assignedTo === null) return item.otherAssignments;
  return [
    ...item.otherAssignments,
    {
      ID: freeAssignmentId(item, item.processId),
      processId: item.processId,
      stepId: open.ID,
      assignedTo: item.assignedTo,
      assignedAt: at,
    },
  ];
}
