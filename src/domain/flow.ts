import type { Case, CaseType, FieldDefinition, FlowStep, OtherAssignment } from './model';

/**
 * The flow of a case type that defines none: one step that collects every field (required as
 * the definition says), routed to the case's creator. Case types from before flows existed
 * work with Pega's clients through it.
 */
export function defaultFlow(fields: FieldDefinition[]): FlowStep[] {
  return [
    {
      ID: 'Complete',
      name: 'Complete the case',
      instructions: '',
      fields: fields.map((field) => ({ name: field.name, required: field.required })),
      action: { ID: 'Submit', name: 'Submit' },
    },
  ];
}

/** A case type as stored, with its flow: the one defined, or the default one. */
export const withFlow = <T extends { fields: FieldDefinition[]; flow: FlowStep[] | null }>(
  stored: T,
): T & { flow: FlowStep[] } => ({ ...stored, flow: stored.flow ?? defaultFlow(stored.fields) });

const ASSIGNMENT_PREFIX = 'ASSIGN-WORKLIST ';

/**
 * Pega's assignment key: `ASSIGN-WORKLIST <case ID>!<FLOW>`, the flow being the starting
 * process that runs the case (PYSTARTCASE). A case has one open assignment at a time, so the
 * key names it; which step it is at is the case's.
 */
export const assignmentIdOf = (item: Pick<Case, 'id' | 'processId'>) =>
  `${ASSIGNMENT_PREFIX}${item.id}!${item.processId.toUpperCase()}`;

/**
 * Where Pega's client goes after a create or a submission: the case's open assignment when it
 * is routed to this operator (it performs it next), else "" (it confirms).
 */
export const nextAssignmentIdFor = (
  item: Pick<Case, 'id' | 'processId' | 'assignedTo' | 'stepIndex' | 'otherAssignments'>,
  operatorId: string,
) =>
  item.assignedTo === operatorId && item.stepIndex !== null
    ? assignmentIdOf(item)
    : (item.otherAssignments.find((other) => other.assignedTo === operatorId)?.ID ?? '');

/** The step an assignment beside the main flow runs: its optional process's, or the flow's step left open. */
export const otherStep = (
  caseType: Pick<CaseType, 'flow' | 'processes'>,
  other: Pick<OtherAssignment, 'processId' | 'stepId'>,
): FlowStep | undefined =>
  caseType.processes?.find((process) => process.ID === other.processId)?.step ??
  caseType.flow.find((step) => step.ID === other.stepId);

/** The step the case's open assignment `id` is at (main or other), or null. */
export function assignmentStep(caseType: CaseType, item: Case, id: string): FlowStep | null {
  if (id === assignmentIdOf(item)) return currentStep(caseType, item);
  const other = item.otherAssignments.find((candidate) => candidate.ID === id);
  return (other && otherStep(caseType, other)) ?? null;
}

/** A free key for a further assignment of `processId` on the case: `!<PROCESS>`, then `_1`, ... */
export function freeAssignmentId(item: Case, processId: string): string {
  const base = `${ASSIGNMENT_PREFIX}${item.id}!${processId.toUpperCase()}`;
  const taken = new Set([assignmentIdOf(item), ...item.otherAssignments.map((other) => other.ID)]);
  let id = base;
  for (let n = 1; taken.has(id); n += 1) id = `${base}_${n}`;
  return id;
}

/** The case ID and flow an assignment key names, or null if it is not one. */
export function parseAssignmentId(id: string): { caseId: string; flow: string } | null {
  if (!id.startsWith(ASSIGNMENT_PREFIX)) return null;
  const bang = id.lastIndexOf('!');
  if (bang <= ASSIGNMENT_PREFIX.length) return null;
  return { caseId: id.slice(ASSIGNMENT_PREFIX.length, bang), flow: id.slice(bang + 1) };
}

/**
 * Where in `flow` a case's open assignment is, or null when it has none. A case whose type's
 * flow was shortened past its step waits at the flow's last step: it stays workable, never
 * open without an assignment.
 */
export function stepIndexIn(flow: FlowStep[], item: Pick<Case, 'stepIndex'>): number | null {
  return item.stepIndex === null ? null : Math.min(item.stepIndex, flow.length - 1);
}

/** The step a case's open assignment is at, or null when it has none. */
export function currentStep(caseType: CaseType, item: Case): FlowStep | null {
  const index = stepIndexIn(caseType.flow, item);
  return index === null ? null : (caseType.flow[index] ?? null);
}

/** Whom a step's assignment goes to. */
export const routeOf = (step: FlowStep, item: Pick<Case, 'createdBy'>) =>
  step.routeTo ?? item.createdBy;

/**
 * Fields a write outside a step may not set, each with the reason (docs/security.md): what a
 * step routed to another operator collects is that operator's decision, so a case-wide update
 * or a create writes it only where the writer is that operator. A create, moreover, carries only
 * the create step's fields (when that step is its creator's) and fields no step collects.
 */
export function closedFields(
  flow: FlowStep[],
  operatorId: string,
  { creating }: { creating: boolean },
): ReadonlyMap<string, string> {
  const routedAway = (step: FlowStep) => step.routeTo !== undefined && step.routeTo !== operatorId;
  const closed = new Map<string, string>();
  for (const step of flow.filter(routedAway)) {
    for (const { name } of step.fields) {
      if (!closed.has(name)) {
        closed.set(
          name,
          `Decided in step ${step.name}, routed to another operator; only that step sets it.`,
        );
      }
    }
  }
  if (!creating) return closed;
  const [first, ...later] = flow;
  const opened = new Set(first && !routedAway(first) ? first.fields.map(({ name }) => name) : []);
  for (const step of later) {
    for (const { name } of step.fields) {
      if (!closed.has(name) && !opened.has(name)) {
        closed.set(name, `Collected by a later step (${step.name}); a new case does not set it.`);
      }
    }
  }
  return closed;
}

/**
 * The screens of the assignment at flow step `index`: that step with the next screens around it
 * (steps marked `nextScreen` continue the one before). One screen for a plain step.
 */
export function screensAt(flow: FlowStep[], index: number): { first: number; last: number } {
  let first = index;
  while (first > 0 && flow[first]?.nextScreen) first -= 1;
  let last = index;
  while (flow[last + 1]?.nextScreen) last += 1;
  return { first, last };
}

/** Pega's ID of a multi-step form's screen: AssignmentSF1 for the first. */
export const screenIdOf = (position: number) => `AssignmentSF${position + 1}`;
