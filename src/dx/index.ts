import { attachmentRoutes } from '../case-api/attachments';
import { requireToken } from '../case-api/bearer';
import { dataViewToken } from '../case-api/data-views';
import { newApp } from '../http/hono';
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

/**
 * Pega DX API v2 (Constellation's case API), mounted at /api/application/v2 and Pega's
 * /prweb/api/application/v2, on the same cases, case types, flows, operators and scopes as
 * API v1. Each route names the scope it needs; errors answer in v2's body (http/errors.ts).
 */
export const dxRoutes = newApp()
  .get('/casetypes', requireToken('casetypes:read'), listCaseTypesHandler)
  .get('/casetypes/:id/actions/:actionId', requireToken('casetypes:read'), getCreateActionHandler)
  .post('/cases', requireToken('cases:create'), createCaseHandler)
  .get('/cases/:id', requireToken('cases:read'), getCaseHandler)
  .get('/cases/:id/views/:viewId', requireToken('cases:read'), getCaseViewHandler)
  .get('/cases/:id/actions/:actionId', requireToken('cases:read'), getCaseActionHandler)
  .patch('/cases/:id/actions/:actionId', requireToken('cases:update'), performCaseActionHandler)
  .get('/assignments/next', requireToken('assignments:read'), nextAssignmentHandler)
  .get('/assignments/:id', requireToken('assignments:read'), getAssignmentHandler)
  .get(
    '/assignments/:id/actions/:actionId',
    requireToken('assignments:read'),
    getAssignmentActionHandler,
  )
  .patch(
    '/assignments/:id/actions/:actionId',
    requireToken('assignments:perform'),
    performAssignmentActionHandler,
  )
  .patch(
    '/assignments/:id/actions/:actionId/refresh',
    requireToken('assignments:read'),
    refreshAssignmentActionHandler,
  )
  .on(['GET', 'POST'], '/data_views/:id', dataViewToken, dataViewHandler)
  .post('/data_views/:id/count', dataViewToken, dataViewCountHandler)
  .get('/data_views/:id/metadata', dataViewToken, dataViewMetadataHandler)
  .route('/', attachmentRoutes);
