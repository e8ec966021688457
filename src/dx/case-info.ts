import { isResolved, pyIdOf } from '../domain/cases';
import {
  assignmentIdOf,
  assignmentStep,
  currentStep,
  nextAssignmentIdFor,
  otherStep,
} from '../domain/flow';
import type { Case, CaseType, FlowStep } from '../domain/model';
import { offeredProcesses } from '../domain/processes';
import { type Stage, stagesOf } from '../domain/stages';
import { formPlace, stepResources, type ViewType } from './ui-resources';

/** The one case-wide action here: edit the case's fields outside a step. */
export const UPDATE_DETAILS = { ID: 'pyUpdateCaseDetails', name: 'Edit details', type: 'Case' };

/** The case action that moves a case to a stage (its form collects pyGotoStage). */
export const CHANGE_STAGE = { ID: 'pyChangeStage', name: 'Change stage', type: 'Case' };

/**
 * DX API v2's `caseInfo`: the case with its content flat (v2 has no v1 `content.content`), its
 * open assignment with the one action of its step, and what may be done to it. `name` and
 * `stageLabel` are never empty: Pega's web client reads the assignment again forever on an
 * empty one.
 */
export function caseInfo(
  item: Case,
  caseType: CaseType,
  operatorId: string,
  /** The assignment the answer is about: listed first (Pega's clients work `assignments[0]`). */
  current?: string,
) {
  const step = currentStep(caseType, item);
  const pyID = pyIdOf(item.id);
  const stages = stagesOf(caseType, item);
  const active = stages.find((stage) => stage.visited_status === 'active');
  return {
    ID: item.id,
    caseTypeID: item.caseTypeId,
    caseTypeName: item.caseTypeName,
    name: item.caseTypeName || caseType.name || caseType.id,
    businessID: pyID,
    status: item.status,
    stageID: active?.ID ?? 'Resolution',
    stageLabel: active?.name ?? item.status,
    stages: stages.map(({ steps: _steps, ...stage }) => ({
      ...stage,
      links: stageLinks(item.id, stage.ID),
    })),
    urgency: String(item.urgency),
    owner: item.owner,
    createdBy: item.createdBy,
    createTime: item.createdAt,
    lastUpdatedBy: item.lastUpdatedBy,
    lastUpdateTime: item.updatedAt,
    parentCaseID: item.parentCaseId ?? '',
    content: {
      ...item.content,
      classID: item.caseTypeId,
      pyID,
      pzInsKey: item.id,
      pyLabel: item.caseTypeName,
      pyStatusWork: item.status,
      // The open step's view: Pega's web client draws uiResources.resources.views[pyViewName].
      pyViewName: step?.action.ID ?? 'pyReview',
      // Where in the content that view draws from: the case itself (the engine's page mode).
      pyViewContext: '',
    },
    assignments: firstOf(assignmentsOf(item, caseType, operatorId), current),
    // Known where the case was read for the caller (a write's answer reads no followers).
    ...(item.follows !== undefined && { associations: { follows: item.follows } }),
    availableActions: isResolved(item) ? [] : [UPDATE_DETAILS, CHANGE_STAGE],
    availableProcesses: processesOffered(item, caseType, stages),
  };
}

const isMultiStep = (caseType: CaseType, item: Case) => {
  const place = formPlace(caseType, item);
  return place !== undefined && place.screens.length > 1;
};

/** An open assignment as caseInfo lists it, with the one action of its step. */
const assignmentInfo = (
  assignment: { ID: string; processID: string; processName: string; assignedTo: string },
  step: FlowStep,
  item: Case,
  operatorId: string,
  multiStep: boolean,
) => ({
  ID: assignment.ID,
  name: step.name,
  instructions: step.instructions,
  processID: assignment.processID,
  processName: assignment.processName,
  urgency: String(item.urgency),
  canPerform: String(assignment.assignedTo === operatorId),
  isMultiStep: String(multiStep),
  assigneeInfo: { ID: assignment.assignedTo, name: assignment.assignedTo, type: 'worklist' },
  actions: [{ ID: step.action.ID, name: step.action.name, type: 'FlowAction' }],
});

/**
 * The case's open assignments (none once resolved): its main flow's, then those beside it
 * (optional processes, steps left open by a stage move).
 */
export function assignmentsOf(item: Case, caseType: CaseType, operatorId: string) {
  const step = currentStep(caseType, item);
  const process = caseType.startingProcesses.find((candidate) => candidate.ID === item.processId);
  const main = step
    ? [
        assignmentInfo(
          {
            ID: assignmentIdOf(item),
            processID: item.processId,
            processName: process?.name ?? item.processId,
            assignedTo: item.assignedTo ?? '',
          },
          step,
          item,
          operatorId,
          isMultiStep(caseType, item),
        ),
      ]
    : [];
  const others = item.otherAssignments.flatMap((other) => {
    const otherStepOf = otherStep(caseType, other);
    const optional = caseType.processes?.find((candidate) => candidate.ID === other.processId);
    if (!otherStepOf) return [];
    const processName = optional?.name ?? process?.name ?? other.processId;
    return [
      assignmentInfo(
        { ID: other.ID, processID: other.processId, processName, assignedTo: other.assignedTo },
        otherStepOf,
        item,
        operatorId,
        false,
      ),
    ];
  });
  return [...main, ...others];
}

/** The list with the assignment `id` first, where it is in it. */
function firstOf<T extends { ID: string }>(list: T[], id: string | undefined): T[] {
  const at = id === undefined ? -1 : list.findIndex((item) => item.ID === id);
  return at <= 0 ? list : [list[at] as T, ...list.slice(0, at), ...list.slice(at + 1)];
}

/** caseInfo.availableProcesses: what the case offers now (domain/processes.ts), each with its link. */
const processesOffered = (item: Case, caseType: CaseType, stages: Stage[]) =>
  offeredProcesses(caseType, item, stages).map((process) => ({
    ID: process.ID,
    name: process.name,
    type: process.stage === undefined ? 'Case' : 'Stage',
    links: {
      add: {
        rel: 'self',
        href: `/cases/${encodeURIComponent(item.id)}/processes/${encodeURIComponent(process.ID)}`,
        type: 'POST',
        title: `Add ${process.name}`,
      },
    },
  }));

/** Where a client moves the case to a stage (`PUT /cases/{ID}/stages/{stageID}`). */
const stageLinks = (caseId: string, stageId: string) => ({
  open: {
    rel: 'self',
    href: `/cases/${encodeURIComponent(caseId)}/stages/${encodeURIComponent(stageId)}`,
    type: 'PUT',
    title: 'Jump to this stage',
  },
});

/** `GET /cases/{ID}/stages`: every stage, each with the process and the steps it runs. */
export function caseStagesView(item: Case, caseType: CaseType) {
  const process = caseType.startingProcesses.find((candidate) => candidate.ID === item.processId);
  return {
    stages: stagesOf(caseType, item).map(({ steps, ...stage }) => ({
      ...stage,
      links: stageLinks(item.id, stage.ID),
      processes: [
        {
          ID: item.processId,
          name: process?.name ?? item.processId,
          visited_status: stage.visited_status,
          steps,
        },
      ],
    })),
  };
}

/**
 * Where a client goes after a create, a step or a case action: the case's open assignment when
 * it is this operator's (with its form unless `viewType=none`, in its page with `page`), else
 * a confirmation.
 */
export function nextStepView(
  item: Case,
  caseType: CaseType,
  operatorId: string,
  viewType: ViewType,
) {
  const next = nextAssignmentIdFor(item, operatorId);
  const data = { caseInfo: caseInfo(item, caseType, operatorId, next || undefined) };
  const step = next ? assignmentStep(caseType, item, next) : null;
  if (!next || !step) {
    return {
      data,
      confirmationNote: 'Thank you! The next step in this case has been routed appropriately.',
    };
  }
  return {
    data,
    nextAssignmentInfo: { ID: next, context: 'self', className: item.caseTypeId },
    ...(viewType !== 'none' && {
      uiResources: stepResources(caseType, item, step, viewType, next),
    }),
  };
}
