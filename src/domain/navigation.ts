import { AppError, conflict, validationFailed } from '../errors';
import { writeCase } from '../store/case-writes';
import { assignmentWorkHolds } from '../store/guards';
import {
  assignmentMovedOn,
  checkStepFields,
  type OpenAssignment,
  type Submission,
} from './assignments';
import { mergedCaseContent } from './case-content';
import { caseActor, checkPageInstructions } from './cases';
import { screenIdOf, screensAt, stepIndexIn } from './flow';
import type { Case, Principal } from './model';

/**
 * A multi-step form's move to an earlier screen (`navigation_steps/previous` or
 * `/AssignmentSF<n>`): the values of the screen it leaves merged without the required checks,
 * the assignment (same ID) at the target screen, as a guarded compare-and-set. From the first
 * screen `previous` is 422; the screen it is at 409; a screen it has not reached, or none of its
 * form, 404.
 */
export async function navigateAssignment(
  db: D1Database,
  principal: Principal,
  assignment: OpenAssignment,
  target: string,
  submission: Pick<Submission, 'content' | 'pageInstructions'>,
): Promise<Case> {
  const { item, caseType, step } = assignment;
  const index = stepIndexIn(caseType.flow, item) ?? 0;
  const { first, last } = screensAt(caseType.flow, index);
  const position = index - first;
  let to: number;
  if (target === 'previous') {
    if (position === 0) {
      throw validationFailed(`Assignment ${assignment.id} is at its first step.`, [
        { path: '.stepID', message: 'There is no previous step.' },
      ]);
    }
    to = index - 1;
  } else {
    const screen = Array.from({ length: last - first + 1 }, (_, at) => screenIdOf(at)).indexOf(
      target,
    );
    if (screen === position) {
      throw conflict(`Assignment ${assignment.id} is at step ${target} already.`);
    }
    if (screen < 0 || screen > position) {
      throw new AppError(
        404,
        'not_found',
        `Assignment ${assignment.id} has no step ${target} to go to.`,
      );
    }
    to = first + screen;
  }
  checkPageInstructions(submission.pageInstructions);
  const content = mergedCaseContent(caseType.fields, item.content, submission.content);
  checkStepFields(step, item.content, content, submission.content);
  const written = await writeCase(
    db,
    item,
    {
      content,
      status: item.status,
      operatorId: principal.operator.id,
      at: new Date().toISOString(),
      step: { index: to, assignedTo: item.assignedTo },
    },
    {
      actor: caseActor(principal),
      action: 'case.navigate',
      detail: {
        from: step.ID,
        to: caseType.flow[to]?.ID ?? null,
        fields: Object.keys(submission.content),
      },
    },
    assignmentWorkHolds(principal, item),
  );
  if (!written) throw assignmentMovedOn(assignment.id);
  return written;
}
