import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { requireToken } from './bearer';
import { createCaseHandler, getCaseHandler, listCasesHandler, updateCaseHandler } from './cases';
import { getCaseTypeHandler, listCaseTypesHandler } from './casetypes';
import { openApiHandler } from './openapi';

/**
 * The Pega API v1 case service, mounted at /api/v1 and Pega's /prweb/api/v1. Each route names
 * the scope it needs; bearer authentication runs per route, so an unknown path is a plain 404.
 */
export const apiRoutes = new Hono<AppEnv>()
  .get('/docs', openApiHandler)
  .get('/casetypes', requireToken('casetypes:read'), listCaseTypesHandler)
  .get('/casetypes/:id', requireToken('casetypes:read'), getCaseTypeHandler)
  .post('/cases', requireToken('cases:create'), createCaseHandler)
  .get('/cases', requireToken('cases:read'), listCasesHandler)
  .get('/cases/:id', requireToken('cases:read'), getCaseHandler)
  .put('/cases/:id', requireToken('cases:update'), updateCaseHandler);
