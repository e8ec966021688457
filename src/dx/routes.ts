import { attachmentOperations } from '../case-api/attachments';
import { authorize, refuseAfterTokenCheck } from '../case-api/bearer';
import { allCaseTypesRead, assignmentInPath, caseInPath, caseTypeInPath } from '../case-api/cases';
import { caseApiGuard } from '../case-api/guard';
import { createCaseSchema, dataViewSchema, submitAssignmentSchema } from '../case-api/schemas';
import { type Audience, operation } from '../http/operations';
import {
  getAssignmentActionHandler,
  getAssignmentHandler,
  nextAssignmentHandler,
  nextAssignmentReads,
  performAssignmentActionHandler,
  refreshAssignmentActionHandler,
} from './assignments';
import { bootstrapConfigHandler } from './bootstrap';
import {
  createCaseHandler,
  deleteCaseHandler,
  getCaseActionHandler,
  getCaseHandler,
  getCaseStagesHandler,
  getCaseViewHandler,
  moveStageHandler,
  performCaseActionHandler,
  releaseCaseHandler,
} from './cases';
import { getCreateActionHandler, listCaseTypesHandler } from './casetypes';
import { dataViewCountHandler, dataViewHandler, dataViewMetadataHandler } from './data-views';
import { refreshSchema, stageMoveQuerySchema, viewQuerySchema } from './schemas';

/**
 * Pega DX API v2 (Constellation's case API), at /api/application/v2 and Pega's
 * /prweb/api/application/v2, on the same cases, case types, flows, operators and scopes as API
 * v1. Errors answer in v2's body (http/errors.ts).
 */
export const dxApi: Audience = {
  name: 'v2',
  // Pega's SDKs put the application alias after /prweb (case-api/bearer.ts checks it).
  bases: [
    '/api/application/v2',
    '/prweb/api/application/v2',
    '/prweb/app/{alias}/api/application/v2',
  ],
  guard: caseApiGuard,
  refuse: refuseAfterTokenCheck,
  authorize,
  operations: [
    operation({
      id: 'listCaseTypes',
      method: 'get',
      path: '/casetypes',
      caller: { scope: 'casetypes:read' },
      reads: allCaseTypesRead,
      handler: listCaseTypesHandler,
    }),
    operation({
      id: 'getCreateAction',
      method: 'get',
      path: '/casetypes/{ID}/actions/{actionID}',
      caller: { scope: 'casetypes:read' },
      reads: caseTypeInPath,
      handler: getCreateActionHandler,
    }),
    operation({
      id: 'createCase',
      method: 'post',
      path: '/cases',
      caller: { scope: 'cases:create' },
      body: { schema: createCaseSchema, required: true },
      query: viewQuerySchema,
      handler: createCaseHandler,
    }),
    operation({
      id: 'getCase',
      method: 'get',
      path: '/cases/{ID}',
      caller: { scope: 'cases:read' },
      query: viewQuerySchema,
      reads: caseInPath,
      handler: getCaseHandler,
    }),
    operation({
      id: 'deleteCase',
      method: 'delete',
      path: '/cases/{ID}',
      caller: { scope: 'cases:update' },
      reads: caseInPath,
      handler: deleteCaseHandler,
    }),
    operation({
      id: 'releaseCase',
      method: 'delete',
      path: '/cases/{ID}/updates',
      caller: { scope: 'cases:read' },
      reads: caseInPath,
      handler: releaseCaseHandler,
    }),
    operation({
      id: 'getCaseStages',
      method: 'get',
      path: '/cases/{ID}/stages',
      caller: { scope: 'cases:read' },
      reads: caseInPath,
      handler: getCaseStagesHandler,
    }),
    operation({
      id: 'moveToStage',
      method: 'put',
      path: '/cases/{ID}/stages/{stageID}',
      caller: { scope: 'cases:update' },
      ifMatch: 'required',
      query: stageMoveQuerySchema,
      reads: caseInPath,
      handler: moveStageHandler,
    }),
    operation({
      id: 'moveToNextStage',
      method: 'post',
      path: '/cases/{ID}/stages/next',
      caller: { scope: 'cases:update' },
      ifMatch: 'required',
      query: stageMoveQuerySchema,
      reads: caseInPath,
      handler: moveStageHandler,
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
      id: 'getCaseAction',
      method: 'get',
      path: '/cases/{ID}/actions/{actionID}',
      caller: { scope: 'cases:read' },
      reads: caseInPath,
      handler: getCaseActionHandler,
    }),
    operation({
      id: 'performCaseAction',
      method: 'patch',
      path: '/cases/{ID}/actions/{actionID}',
      caller: { scope: 'cases:update' },
      body: { schema: submitAssignmentSchema, required: false },
      query: viewQuerySchema,
      ifMatch: 'required',
      handler: performCaseActionHandler,
    }),
    operation({
      id: 'nextAssignment',
      method: 'get',
      path: '/assignments/next',
      caller: { scope: 'assignments:read' },
      query: viewQuerySchema,
      reads: nextAssignmentReads,
      handler: nextAssignmentHandler,
    }),
    operation({
      id: 'getAssignment',
      method: 'get',
      path: '/assignments/{ID}',
      caller: { scope: 'assignments:read' },
      query: viewQuerySchema,
      reads: assignmentInPath,
      handler: getAssignmentHandler,
    }),
    operation({
      id: 'getAssignmentAction',
      method: 'get',
      path: '/assignments/{ID}/actions/{actionID}',
      caller: { scope: 'assignments:read' },
      query: viewQuerySchema,
      reads: assignmentInPath,
      handler: getAssignmentActionHandler,
    }),
    operation({
      id: 'performAssignmentAction',
      method: 'patch',
      path: '/assignments/{ID}/actions/{actionID}',
      caller: { scope: 'assignments:perform' },
      body: { schema: submitAssignmentSchema, required: false },
      query: viewQuerySchema,
      ifMatch: 'required',
      reads: assignmentInPath,
      handler: performAssignmentActionHandler,
    }),
    operation({
      id: 'refreshAssignmentAction',
      method: 'patch',
      path: '/assignments/{ID}/actions/{actionID}/refresh',
      caller: { scope: 'assignments:read' },
      body: { schema: refreshSchema, required: false },
      ifMatch: 'required',
      reads: assignmentInPath,
      handler: refreshAssignmentActionHandler,
    }),
    // Before the data view of the same path: a static path wins only where it is first.
    operation({
      id: 'bootstrapConfig',
      method: 'get',
      path: '/data_views/D_pxBootstrapConfig',
      caller: { scope: 'casetypes:read' },
      reads: allCaseTypesRead,
      handler: bootstrapConfigHandler,
    }),
    operation({
      id: 'getDataView',
      method: 'get',
      path: '/data_views/{ID}',
      caller: 'data view',
      handler: dataViewHandler,
    }),
    operation({
      id: 'queryDataView',
      method: 'post',
      path: '/data_views/{ID}',
      caller: 'data view',
      body: { schema: dataViewSchema, required: false },
      handler: dataViewHandler,
    }),
    operation({
      id: 'countDataView',
      method: 'post',
      path: '/data_views/{ID}/count',
      caller: 'data view',
      body: { schema: dataViewSchema, required: false },
      handler: dataViewCountHandler,
    }),
    operation({
      id: 'dataViewMetadata',
      method: 'get',
      path: '/data_views/{ID}/metadata',
      caller: 'data view',
      handler: dataViewMetadataHandler,
    }),
    ...attachmentOperations,
  ],
};
