import { attachmentOperations } from '../case-api/attachments';
import { authorize, refuseAfterTokenCheck } from '../case-api/bearer';
import { allCaseTypesRead, assignmentInPath, caseInPath, caseTypeInPath } from '../case-api/cases';
import { caseApiGuard } from '../case-api/guard';
import { createCaseSchema, submitAssignmentSchema } from '../case-api/schemas';
import { visibleCasesReads } from '../domain/cases';
import { MAX_RECORDS } from '../domain/model';
import { type Audience, operation } from '../http/operations';
import {
  getActionHandler,
  getAssignmentHandler,
  nextAssignmentHandler,
  submitAssignmentHandler,
  worklistHandler,
  worklistOf,
} from './assignments';
import {
  createCaseHandler,
  getCaseHandler,
  getCaseViewHandler,
  listCasesHandler,
  updateCaseHandler,
} from './cases';
import { getCaseTypeHandler, listCaseTypesHandler } from './casetypes';
import { dataPageHandler } from './data';
import { openApiHandler } from './docs';
import { listCasesQuerySchema, submitAssignmentQuerySchema, updateCaseSchema } from './schemas';

/**
 * The Pega API v1 case service, at /api/v1 and Pega's /prweb/api/v1. Each operation names the
 * scope it needs; bearer authentication runs per operation, so an unknown path is a plain 404.
 */
export const pegaApi: Audience = {
  name: 'v1',
  // Pega's SDKs put the application alias after /prweb (case-api/bearer.ts checks it).
  bases: ['/api/v1', '/prweb/api/v1', '/prweb/app/{alias}/api/v1'],
  guard: caseApiGuard,
  refuse: refuseAfterTokenCheck,
  authorize,
  operations: [
    operation({
      id: 'openApiDocument',
      method: 'get',
      path: '/docs',
      caller: 'anyone',
      handler: openApiHandler,
    }),
    operation({
      id: 'listCaseTypes',
      method: 'get',
      path: '/casetypes',
      caller: { scope: 'casetypes:read' },
      reads: allCaseTypesRead,
      handler: listCaseTypesHandler,
    }),
    operation({
      id: 'getCaseType',
      method: 'get',
      path: '/casetypes/{ID}',
      caller: { scope: 'casetypes:read' },
      reads: caseTypeInPath,
      handler: getCaseTypeHandler,
    }),
    operation({
      id: 'createCase',
      method: 'post',
      path: '/cases',
      caller: { scope: 'cases:create' },
      body: { schema: createCaseSchema, required: true },
      handler: createCaseHandler,
    }),
    operation({
      id: 'listCases',
      method: 'get',
      path: '/cases',
      caller: { scope: 'cases:read' },
      query: listCasesQuerySchema,
      reads: (c, { query }) =>
        visibleCasesReads(c.env.DB, c.var.bearer.claims.operator, query.limit, query.cursor),
      handler: listCasesHandler,
    }),
    operation({
      id: 'getCase',
      method: 'get',
      path: '/cases/{ID}',
      caller: { scope: 'cases:read' },
      reads: caseInPath,
      handler: getCaseHandler,
    }),
    operation({
      id: 'updateCase',
      method: 'put',
      path: '/cases/{ID}',
      caller: { scope: 'cases:update' },
      body: { schema: updateCaseSchema, required: true },
      ifMatch: 'required',
      handler: updateCaseHandler,
    }),
    operation({
      id: 'getCaseView',
      method: 'get',
      path: '/cases/{ID}/views/{viewID}',
      caller: { scope: 'cases:read' },
      reads: caseInPath,
      handler: getCaseViewHandler,
    }),
    operation({
      id: 'worklist',
      method: 'get',
      path: '/assignments',
      caller: { scope: 'assignments:read' },
      reads: (c) => worklistOf(c, MAX_RECORDS),
      handler: worklistHandler,
    }),
    operation({
      id: 'nextAssignment',
      method: 'get',
      path: '/assignments/next',
      caller: { scope: 'assignments:read' },
      reads: (c) => worklistOf(c, 1),
      handler: nextAssignmentHandler,
    }),
    operation({
      id: 'getAssignment',
      method: 'get',
      path: '/assignments/{ID}',
      caller: { scope: 'assignments:read' },
      reads: assignmentInPath,
      handler: getAssignmentHandler,
    }),
    operation({
      id: 'getAssignmentAction',
      method: 'get',
      path: '/assignments/{ID}/actions/{actionID}',
      caller: { scope: 'assignments:read' },
      reads: assignmentInPath,
      handler: getActionHandler,
    }),
    operation({
      id: 'submitAssignment',
      method: 'post',
      path: '/assignments/{ID}',
      caller: { scope: 'assignments:perform' },
      query: submitAssignmentQuerySchema,
      body: { schema: submitAssignmentSchema, required: true },
      reads: assignmentInPath,
      handler: submitAssignmentHandler,
    }),
    operation({
      id: 'getDataPage',
      method: 'get',
      path: '/data/{ID}',
      caller: 'data view',
      handler: dataPageHandler,
    }),
    ...attachmentOperations,
  ],
};
