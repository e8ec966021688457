import { attachmentOperations } from '../case-api/attachments';
import { caseApiGuard } from '../case-api/guard';
import { createCaseSchema, dataViewSchema, submitAssignmentSchema } from '../case-api/schemas';
import type { Audience } from '../http/operations';
import {
  getAssignmentActionHandler,
  getAssignmentHandler,
  nextAssignmentHandler,
  performAssignmentActionHandler,
  refreshAssignmentActionHandler,
} from './assignments';
import {
  createCaseHandler,
  getCaseActionHandler,
  getCaseHandler,
  getCaseViewHandler,
  performCaseActionHandler,
} from './cases';
import { getCreateActionHandler, listCaseTypesHandler } from './casetypes';
import { dataViewCountHandler, dataViewHandler, dataViewMetadataHandler } from './data-views';
import { refreshSchema } from './schemas';

const json = { type: 'application/json', required: true } as const;
const optionalJson = { type: 'application/json', required: false } as const;

/**
 * Pega DX API v2 (Constellation's case API), at /api/application/v2 and Pega's
 * /prweb/api/application/v2, on the same cases, case types, flows, operators and scopes as API
 * v1. Errors answer in v2's body (http/errors.ts).
 */
export const dxApi: Audience = {
  name: 'v2',
  bases: ['/api/application/v2', '/prweb/api/application/v2'],
  guard: caseApiGuard,
  operations: [
    {
      id: 'listCaseTypes',
      method: 'get',
      path: '/casetypes',
      caller: { scope: 'casetypes:read' },
      handler: listCaseTypesHandler,
    },
    {
      id: 'getCreateAction',
      method: 'get',
      path: '/casetypes/{ID}/actions/{actionID}',
      caller: { scope: 'casetypes:read' },
      handler: getCreateActionHandler,
    },
    {
      id: 'createCase',
      method: 'post',
      path: '/cases',
      caller: { scope: 'cases:create' },
      body: { ...json, schema: createCaseSchema },
      handler: createCaseHandler,
    },
    {
      id: 'getCase',
      method: 'get',
      path: '/cases/{ID}',
      caller: { scope: 'cases:read' },
      handler: getCaseHandler,
    },
    {
      id: 'getCaseView',
      method: 'get',
      path: '/cases/{ID}/views/{viewID}',
      caller: { scope: 'cases:read' },
      handler: getCaseViewHandler,
    },
    {
      id: 'getCaseAction',
      method: 'get',
      path: '/cases/{ID}/actions/{actionID}',
      caller: { scope: 'cases:read' },
      handler: getCaseActionHandler,
    },
    {
      id: 'performCaseAction',
      method: 'patch',
      path: '/cases/{ID}/actions/{actionID}',
      caller: { scope: 'cases:update' },
      body: { ...optionalJson, schema: submitAssignmentSchema },
      handler: performCaseActionHandler,
    },
    {
      id: 'nextAssignment',
      method: 'get',
      path: '/assignments/next',
      caller: { scope: 'assignments:read' },
      handler: nextAssignmentHandler,
    },
    {
      id: 'getAssignment',
      method: 'get',
      path: '/assignments/{ID}',
      caller: { scope: 'assignments:read' },
      handler: getAssignmentHandler,
    },
    {
      id: 'getAssignmentAction',
      method: 'get',
      path: '/assignments/{ID}/actions/{actionID}',
      caller: { scope: 'assignments:read' },
      handler: getAssignmentActionHandler,
    },
    {
      id: 'performAssignmentAction',
      method: 'patch',
      path: '/assignments/{ID}/actions/{actionID}',
      caller: { scope: 'assignments:perform' },
      body: { ...optionalJson, schema: submitAssignmentSchema },
      handler: performAssignmentActionHandler,
    },
    {
      id: 'refreshAssignmentAction',
      method: 'patch',
      path: '/assignments/{ID}/actions/{actionID}/refresh',
      caller: { scope: 'assignments:read' },
      body: { ...optionalJson, schema: refreshSchema },
      handler: refreshAssignmentActionHandler,
    },
    {
      id: 'getDataView',
      method: 'get',
      path: '/data_views/{ID}',
      caller: 'data view',
      handler: dataViewHandler,
    },
    {
      id: 'queryDataView',
      method: 'post',
      path: '/data_views/{ID}',
      caller: 'data view',
      body: { ...optionalJson, schema: dataViewSchema },
      handler: dataViewHandler,
    },
    {
      id: 'countDataView',
      method: 'post',
      path: '/data_views/{ID}/count',
      caller: 'data view',
      body: { ...optionalJson, schema: dataViewSchema },
      handler: dataViewCountHandler,
    },
    {
      id: 'dataViewMetadata',
      method: 'get',
      path: '/data_views/{ID}/metadata',
      caller: 'data view',
      handler: dataViewMetadataHandler,
    },
    ...attachmentOperations,
  ],
};
