import { attachmentRoutes } from '../case-api/attachments';
import { requireToken } from '../case-api/bearer';
import { dataViewToken } from '../case-api/data-views';
import { newApp } from '../http/hono';
import {
  getActionHandler,
  getAssignmentHandler,
  nextAssignmentHandler,
  submitAssignmentHandler,
  worklistHandler,
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

/**
 * The Pega API v1 case service, mounted at /api/v1 and Pega's /prweb/api/v1. Each route names
 * the scope it needs; bearer authentication runs per route, so an unknown path is a plain 404.
 */
export const apiRoutes = newApp()
  .get('/docs', openApiHandler)
  .get('/casetypes', requireToken('casetypes:read'), listCaseTypesHandler)
  .get('/casetypes/:id', requireToken('casetypes:read'), getCaseTypeHandler)
  .post('/cases', requireToken('cases:create'), createCaseHandler)
  .get('/cases', requireToken('cases:read'), listCasesHandler)
  .get('/cases/:id', requireToken('cases:read'), getCaseHandler)
  .put('/cases/:id', requireToken('cases:update'), updateCaseHandler)
  .get('/cases/:id/views/:viewId', requireToken('cases:read'), getCaseViewHandler)
  .get('/assignments', requireToken('assignments:read'), worklistHandler)
  .get('/assignments/next', requireToken('assignments:read'), nextAssignmentHandler)
  .get('/assignments/:id', requireToken('assignments:read'), getAssignmentHandler)
  .get('/assignments/:id/actions/:actionId', requireToken('assignments:read'), getActionHandler)
  .post('/assignments/:id', requireToken('assignments:perform'), submitAssignmentHandler)
  .get('/data/:id', dataViewToken, dataPageHandler)
  .route('/', attachmentRoutes);
