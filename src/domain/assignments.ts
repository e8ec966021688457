import { AppError, conflict, invalidRequest } from '../errors';
import { writeCase } from '../store/cases';
import { principalStillHolds } from '../store/clients';
import { mayUseCaseType } from './access';
import { mergedCaseContent, requireValues } from './case-content';
import {
  caseActor,
  caseReads,
  caseReadsFrom,
  checkPageInstructions,
  type PageInstruction,
} from './cases';
import {
  assignmentIdOf,
  currentStep,
  nextAssignmentIdFor,
  parseAssignmentId,
  routeOf,
} from './flow';
import { CASE_STATUS, type Case, type CaseType, type FlowStep, type Principal } from './model';

/** An open assignment as the principal may work it: its case, case type and step. */
export interface OpenAssignment {
  id: string;
  item: Case;
  caseType: CaseType;
  step: FlowStep;
}

export const assignmentNotFound = (id: string) =>
  new AppError(404, 'not_found', `Assignment ${id} not found.`);

/** The reads for an assignment (its case and case type), beside the bearer check. */
export function assignmentReads(db: D1Database, id: string) {
  return caseReads(db, parseAssignmentId(id)?.caseId ?? '');
}

/**
 * From assignmentReads' results: the open assignment `id`, if it is routed to the principal's
 * operator on a case type its access group names. Anything else, including an assignment
 * routed to someone else, is 404 as if absent.
 */
export function openAssignment(
  principal: Principal,
  id: string,
  results: unknown[][],
): OpenAssignment {
  const found = caseReadsFrom(results);
  if (!found || assignmentIdOf(found.item) !== id) throw assignmentNotFound(id);
  const { item, caseType } = found;
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
  if (!submission.saveOnly) {
    requireValues(
      content,
      step.fields.filter((field) => field.required).map((field) => field.name),
    );
  }
  const nextIndex = (item.stepIndex ?? 0) + 1;
  const next = submission.saveOnly ? step : caseType.flow[nextIndex];
  const resolved = !submission.saveOnly && next === undefined;
  const written = await writeCase(
    db,
    item,
    {
      content,
      status: resolved ? CASE_STATUS.resolved : CASE_STATUS.open,
      operatorId: principal.operator.id,
      at: new Date().toISOString(),
      step: submission.saveOnly
        ? undefined
        : next
          ? { index: nextIndex, assignedTo: routeOf(next, item) }
          : { index: null, assignedTo: null },
    },
    {
      actor: caseActor(principal),
      action: submission.saveOnly ? 'case.save' : resolved ? 'case.resolve' : 'case.submit',
      detail: {
        step: step.ID,
        action: submission.actionId,
        fields: Object.keys(submission.content),
      },
    },
    principalStillHolds(principal),
  );
  if (!written) {
    throw conflict(
      `Assignment ${assignment.id} changed while this submission was made (another submission or update came first, or the client was changed); open it again.`,
    );
  }
  return { item: written, nextAssignmentId: nextAssignmentIdFor(written, principal.operator.id) };
}
