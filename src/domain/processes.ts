import { conflict, notFound } from '../errors';
import { writeCase } from '../store/case-writes';
import { caseChangeHolds } from '../store/guards';
import { caseActor, type FoundCase, isResolved } from './cases';
import { freeAssignmentId } from './flow';
import {
  CASE_STATUS,
  type Case,
  type CaseType,
  type OptionalProcess,
  type Principal,
} from './model';
import { type Stage, stagesOf } from './stages';

/**
 * Optional processes (DX case model §1): a case-wide process, or one of the active stage, is
 * started on an open case as a further assignment `ASSIGN-WORKLIST <case>!<PROCESS>` (then
 * `_1`, `_2`, ...) routed to whoever starts it, beside the assignments the case has.
 */

/** The optional processes an open case offers now: case-wide ones, and its active stage's. */
export function offeredProcesses(
  caseType: CaseType,
  item: Case,
  /** The case's stages, where the caller has them already (stagesOf). */
  stages: Stage[] = stagesOf(caseType, item),
): OptionalProcess[] {
  if (isResolved(item)) return [];
  const active = stages.find((stage) => stage.visited_status === 'active');
  return (caseType.processes ?? []).filter(
    (process) => process.stage === undefined || process.stage === active?.ID,
  );
}

/**
 * Starts `processId` on the case for the principal: its assignment added to the case's others,
 * as a compare-and-set on the version read (409 when the case moved meanwhile), with a
 * `case.process` history row. An unknown process, or one the case does not offer now, is 404.
 */
export async function startProcess(
  db: D1Database,
  principal: Principal,
  { item, caseType }: FoundCase,
  processId: string,
): Promise<{ found: FoundCase; assignmentId: string }> {
  const process = offeredProcesses(caseType, item).find((offered) => offered.ID === processId);
  if (!process) throw notFound('Process not found for the given parameter processID');
  const assignmentId = freeAssignmentId(item, process.ID);
  const at = new Date().toISOString();
  const written = await writeCase(
    db,
    item,
    {
      content: item.content,
      status: item.status === CASE_STATUS.new ? CASE_STATUS.open : item.status,
      operatorId: principal.operator.id,
      at,
      otherAssignments: [
        ...item.otherAssignments,
        {
          ID: assignmentId,
          processId: process.ID,
          stepId: process.step.ID,
          assignedTo: principal.operator.id,
          assignedAt: at,
        },
      ],
    },
    {
      actor: caseActor(principal),
      action: 'case.process',
      detail: { process: process.ID, assignment: assignmentId },
    },
    caseChangeHolds(principal, item),
  );
  if (!written) {
    throw conflict(`Case ${item.id} changed while the process was started; start it again.`);
  }
  return { found: { item: written, caseType }, assignmentId };
}
