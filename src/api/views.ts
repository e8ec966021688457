import type { Case, CaseType, Principal } from '../domain/model';

/** Pega API v1 response shapes. Pega sends booleans as strings; so do these. */

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
        requiresFieldsToCreate: String(caseType.fields.some((field) => field.required)),
      })),
    })),
  };
}

export function caseTypeView(caseType: CaseType) {
  return { caseTypeID: caseType.id, name: caseType.name, fields: caseType.fields };
}

/** The case's number as Pega shows it: `R-1001` of `CNOW-CONNECTNOW-WORK R-1001`. */
const pyIdOf = (id: string) => id.slice(id.lastIndexOf(' ') + 1);

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

export function caseView(item: Case) {
  return {
    ...caseSummaryView(item),
    owner: item.owner,
    content: {
      ...item.content,
      pxObjClass: item.caseTypeId,
      pyID: pyIdOf(item.id),
      pyStatusWork: item.status,
    },
  };
}

export function createdCaseView(item: Case, processId: string) {
  return {
    ID: item.id,
    nextAssignmentID: `ASSIGN-WORKLIST ${item.id}!${processId.toUpperCase()}`,
    nextPageID: 'Perform',
    pxObjClass: 'Pega-API-CaseManagement-Case',
  };
}
