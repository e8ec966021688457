import type { OpenAssignment, WorklistItem } from '../domain/assignments';
import { pyIdOf } from '../domain/cases';
import { assignmentIdOf, closedFields, currentStep, otherStep } from '../domain/flow';
import type { Case, CaseType, FlowStep, Principal } from '../domain/model';
import { viewGroups } from './view-json';

/** Pega API v1 response shapes. Pega sends booleans and numbers as strings; so do these. */

export function caseTypeListView(caseTypes: CaseType[], principal: Principal) {
  const canCreate = String(principal.scopes.includes('cases:create'));
  return {
    pxObjClass: 'Pega-API-CaseManagement',
    caseTypes: caseTypes.map((caseType) => ({
      ID: caseType.id,
      name: caseType.name,
      CanCreate: canCreate,
      pxObjClass: 'Pega-API-CaseManagement-CaseType',
      startingProcesses: caseType.startingProcesses.map((process) => ({
        ID: process.ID,
        name: process.name,
        pxObjClass: 'Pega-API-CaseManagement-Process',
        requiresFieldsToCreate: String(process.requiresFieldsToCreate === true),
      })),
    })),
  };
}

/**
 * `GET /casetypes/{ID}`: the fields, and the creation page: the required fields the operator
 * may set at creation (flow.ts `closedFields`).
 */
export function caseTypeView(caseType: CaseType, operatorId: string) {
  const closed = closedFields(caseType.flow, operatorId, { creating: true });
  const required = caseType.fields.filter((field) => field.required && !closed.has(field.name));
  return {
    caseTypeID: caseType.id,
    name: caseType.name,
    fields: caseType.fields,
    creation_page: {
      name: `New ${caseType.name}`,
      pageID: 'pyCaseCreation',
      groups: viewGroups(
        required.map((field) => ({ field, required: true, readOnly: false })),
        {},
      ),
    },
  };
}

export function caseSummaryView(item: Case) {
  return {
    ID: item.id,
    caseTypeID: item.caseTypeId,
    name: item.caseTypeName,
    pxObjClass: 'Pega-API-CaseManagement-Case',
    status: item.status,
    urgency: String(item.urgency),
    createTime: item.createdAt,
    createdBy: item.createdBy,
    lastUpdateTime: item.updatedAt,
    lastUpdatedBy: item.lastUpdatedBy,
    parentCaseID: item.parentCaseId ?? '',
  };
}

const actionsOf = (step: FlowStep) => [{ ID: step.action.ID, name: step.action.name }];

/** A case's open assignment, as the worklist and the case show it. */
function assignmentSummary(
  item: Case,
  step: FlowStep,
  id = assignmentIdOf(item),
  routedTo = item.assignedTo ?? '',
) {
  return {
    ID: id,
    caseID: item.id,
    name: step.name,
    urgency: String(item.urgency),
    instructions: step.instructions,
    routedTo,
    pxObjClass: 'Pega-API-CaseManagement-Assignment',
  };
}

export function caseView(item: Case, caseType: CaseType) {
  const step = currentStep(caseType, item);
  return {
    ...caseSummaryView(item),
    owner: item.owner,
    stage: step ? { ID: step.ID, name: step.name } : { ID: 'Resolution', name: item.status },
    assignments: [
      ...(step ? [{ ...assignmentSummary(item, step), actions: actionsOf(step) }] : []),
      // Those beside the main flow: optional processes started, steps a stage move left open.
      ...item.otherAssignments.flatMap((other) => {
        const otherStepOf = otherStep(caseType, other);
        return otherStepOf
          ? [
              {
                ...assignmentSummary(item, otherStepOf, other.ID, other.assignedTo),
                actions: actionsOf(otherStepOf),
              },
            ]
          : [];
      }),
    ],
    actions: [],
    content: {
      ...item.content,
      pxObjClass: item.caseTypeId,
      pyID: pyIdOf(item.id),
      pyLabel: item.caseTypeName,
      pyStatusWork: item.status,
    },
  };
}

/** After a create or a submission: where Pega's client goes next. */
export function nextView(item: Case, nextAssignmentId: string) {
  return {
    ID: item.id,
    nextAssignmentID: nextAssignmentId,
    nextPageID: nextAssignmentId ? 'Perform' : 'Confirm',
    pxObjClass: 'Pega-API-CaseManagement-Case',
  };
}

export function worklistItemView({ id, item, step, assignedTo }: WorklistItem) {
  return assignmentSummary(item, step, id, assignedTo);
}

export function assignmentView({ id, item, step, other }: OpenAssignment) {
  const { pxObjClass: _class, ...summary } = assignmentSummary(
    item,
    step,
    id,
    other ? other.assignedTo : (item.assignedTo ?? ''),
  );
  return { ...summary, actions: actionsOf(step) };
}

/** `GET /assignments/{ID}/actions/{actionID}`: the step's form with the case's values. */
export function actionView({ item, caseType, step }: OpenAssignment) {
  const byName = new Map(caseType.fields.map((field) => [field.name, field]));
  const fields = step.fields.flatMap(({ name, required }) => {
    const field = byName.get(name);
    return field ? [{ field, required, readOnly: false }] : [];
  });
  return {
    name: step.action.name,
    actionID: step.action.ID,
    view: {
      reference: '',
      viewID: step.action.ID,
      name: step.action.name,
      appliesTo: caseType.id,
      groups: viewGroups(fields, item.content),
    },
  };
}

/** `GET /cases/{ID}/views/pyCaseInformation`: every field, read-only, with its value. */
export function caseInformationView(item: Case, caseType: CaseType) {
  return {
    name: 'Case information',
    viewID: 'pyCaseInformation',
    reference: '',
    groups: viewGroups(
      caseType.fields.map((field) => ({ field, required: false, readOnly: true })),
      item.content,
    ),
  };
}
