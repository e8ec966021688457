import { AppError, conflict, invalidRequest } from '../errors';
import { worklistRead } from '../store/case-reads';
import { writeCase } from '../store/case-writes';
import { assignmentWorkHolds } from '../store/guards';
import { mapReads, type Reads } from '../store/reads';
import { mayUseCaseType } from './access';
import { mergedCaseContent, requireValues } from './case-content';
import {
  caseActor,
  caseReads,
  checkPageInstructions,
  type FoundCase,
  type PageInstruction,
} from './cases';
import {
  assignmentIdOf,
  currentStep,
  nextAssignmentIdFor,
  otherStep,
  parseAssignmentId,
  routeOf,
  stepIndexIn,
  withFlow,
} from './flow';
import {
  CASE_STATUS,
  type Case,
  type CaseType,
  type FlowStep,
  type OtherAssignment,
  type Principal,
} from './model';
import { afterStep } from './stages';

/** An open assignment as the principal may work it: its case, case type and step. */
export interface OpenAssignment {
  id: string;
  item: Case;
  caseType: CaseType;
  step: FlowStep;
  /** Where it is one beside the main flow (an optional process, a step left open). */
  other?: OtherAssignment | undefined;
}

export const assignmentNotFound = (id: string) =>
  new AppError(404, 'not_found', `Assignment ${id} not found.`);

/** An open assignment in a worklist: its case, its key, whom it is routed to, its step. */
export interface WorklistItem {
  id: string;
  item: Case;
  step: FlowStep;
  assignedTo: string;
}

/**
 * The operator's open assignments, most urgent first, then oldest, each with the step it is
 * at (see stepIndexIn): main-flow ones and those beside a main flow.
 */
export const worklistReads = (
  db: D1Database,
  operatorId: string,
  limit: number,
): Reads<WorklistItem[]> =>
  mapReads(worklistRead(db, operatorId, limit), (rows) =>
    rows.flatMap((row): WorklistItem[] => {
      const { item, flow } = withFlow(row);
      if (row.other) {
        const step = otherStep({ flow, processes: row.processes }, row.other);
        return step ? [{ id: row.other.ID, item, step, assignedTo: row.other.assignedTo }] : [];
      }
      const step = flow[stepIndexIn(flow, item) ?? -1];
      return step
        ? [{ id: assignmentIdOf(item), item, step, assignedTo: item.assignedTo ?? '' }]
        : [];
    }),
  );

/** The reads for an assignment (its case and case type), beside the bearer check. */
export function assignmentReads(db: D1Database, id: string, follower?: string) {
  return caseReads(db, parseAssignmentId(id)?.caseId ?? '', follower);
}

/**
 * From assignmentReads' results: the open assignment `id`, if it is routed to the principal's
 * operator on a case type its access group names. Anything else, including an assignment
 * routed to someone else, is 404 as if absent.
 */
export function openAssignment(
  principal: Principal,
  id: string,
  found: FoundCase | null,
): OpenAssignment {
  if (!found) throw assignmentNotFound(id);
  const { item, caseType } = found;
  if (assignmentIdOf(item) !== id) {
    const other = item.otherAssignments.find((candidate) => candidate.ID === id);
    const step = other && otherStep(caseType, other);
    if (
      !other ||
      !step ||
      other.assignedTo !== principal.operator.id ||
      !mayUseCaseType(principal.operator, caseType.id)
    ) {
      throw assignmentNotFound(id);
    }
    return { id, item, caseType, step, other };
  }
  const step = currentStep(caseType, item);
  if (
    !step ||
    item.assignedTo !== principal.operator.id ||
    !mayUseCaseType(principal.operator, caseType.id)
  ) {
    throw assignmentNotFound(id);
  }
  return { id, item, caseType, step };
}

/**
 * The assignment a submission acts on (see openAssignment). A submission for a step the case
 * has already left (a concurrent or late copy of one that advanced it) is 409, as for any
 * write that lost a race, where the caller may work that step; else 404 as if absent.
 */
export function assignmentToSubmit(
  principal: Principal,
  id: string,
  actionId: string,
  found: FoundCase | null,
): OpenAssignment {
  if (
    found &&
    assignmentIdOf(found.item) === id &&
    mayUseCaseType(principal.operator, found.caseType.id)
  ) {
    const { item, caseType } = found;
    const at = stepIndexIn(caseType.flow, item);
    const acted = caseType.flow.findIndex((step) => step.action.ID === actionId);
    const left = acted >= 0 && (at === null || acted < at);
    if (left && routeOf(caseType.flow[acted] as FlowStep, item) === principal.operator.id) {
      throw assignmentMovedOn(id);
    }
  }
  return openAssignment(principal, id, found);
}

export const assignmentMovedOn = (id: string) =>
  conflict(
    `Assignment ${id} changed while this submission was made (another submission or update came first, or the client was changed); open it again.`,
  );

/**
 * A step writes only its own fields: a value for a field it does not collect is refused (400)
 * unless it is the value the case already holds (clients echo back what they read).
 */
export function checkStepFields(
  step: FlowStep,
  stored: Record<string, unknown>,
  merged: Record<string, unknown>,
  sent: Record<string, unknown>,
) {
  const own = new Set(step.fields.map((field) => field.name));
  // Compared as stored (typed): "2500" echoed back for a stored 2500 is the same value.
  const foreign = Object.keys(sent).filter(
    (name) => !own.has(name) && JSON.stringify(merged[name]) !== JSON.stringify(stored[name]),
  );
  if (foreign.length === 0) return;
  throw invalidRequest(
    'The request body is invalid.',
    foreign.map((name) => ({
      path: `.content.${name}`,
      message: `Step ${step.ID} does not collect ${name}; it can be changed by the step that does.`,
    })),
  );
}

/** The step's flow action, or 400 naming the action this assignment offers. */
export function flowAction(assignment: OpenAssignment, actionId: string) {
  const { action } = assignment.step;
  if (action.ID !== actionId) {
    throw invalidRequest(`Assignment ${assignment.id} offers the action ${action.ID} only.`, [
      { path: '.actionID', message: `Unknown action ${actionId} for this assignment.` },
    ]);
  }
  return action;
}

export interface Submission {
  actionId: string;
  content: Record<string, unknown>;
  pageInstructions: PageInstruction[] | undefined;
  /** Save the values without advancing the flow. */
  saveOnly: boolean;
}

/** What a submission led to: the case as written, and its next assignment (if any). */
export interface Submitted {
  item: Case;
  /** The next open assignment, when it is routed to the same operator. */
  nextAssignmentId: string;
}

/**
 * Submits an assignment: merges the values, checks the step's required fields on the merged
 * content (400, nothing saved), advances the flow (resolving the case after its last step)
 * and writes it in one statement that holds only while the case is still at the version read
 * and the principal still stands. Of two submissions at once, one advances the case; the
 * other gets 409.
 */
export async function submitAssignment(
  db: D1Database,
  principal: Principal,
  assignment: OpenAssignment,
  submission: Submission,
): Promise<Submitted> {
  const { item, caseType, step } = assignment;
  flowAction(assignment, submission.actionId);
  checkPageInstructions(submission.pageInstructions);
  const content = mergedCaseContent(caseType.fields, item.content, submission.content);
  checkStepFields(step, item.content, content, submission.content);
  if (!submission.saveOnly) {
    requireValues(
      content,
      caseType.fields,
      step.fields.filter((field) => field.required).map((field) => field.name),
    );
  }
  // The next step (of this stage, or the next primary one), or the case resolved; an
  // assignment beside the main flow just closes.
  const other = assignment.other;
  const after = other
    ? { index: stepIndexIn(caseType.flow, item) ?? 0 }
    : afterStep(caseType, stepIndexIn(caseType.flow, item) ?? 0);
  const next = 'index' in after ? caseType.flow[after.index] : undefined;
  const resolved = !submission.saveOnly && !next;
  const written = await writeCase(
    db,
    item,
    {
      content,
      status: resolved && 'resolvedAs' in after ? after.resolvedAs : CASE_STATUS.open,
      operatorId: principal.operator.id,
      at: new Date().toISOString(),
      step:
        submission.saveOnly || other
          ? undefined
          : next && 'index' in after
            ? { index: after.index, assignedTo: routeOf(next, item) }
            : { index: null, assignedTo: null },
      // A resolved case has no assignments; a submitted one beside the main flow closes.
      otherAssignments: resolved
        ? []
        : other && !submission.saveOnly
          ? item.otherAssignments.filter((candidate) => candidate.ID !== other.ID)
          : undefined,
    },
    {
      actor: caseActor(principal),
      action: submission.saveOnly ? 'case.save' : resolved ? 'case.resolve' : 'case.submit',
      detail: {
        step: step.ID,
        ...(other && { process: other.processId }),
        action: submission.actionId,
        fields: Object.keys(submission.content),
      },
    },
    assignmentWorkHolds(principal, item),
  );
  if (!written) throw assignmentMovedOn(assignment.id);
  return { item: written, nextAssignmentId: nextAssignmentIdFor(written, principal.operator.id) };
}
