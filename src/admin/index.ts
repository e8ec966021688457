import { newApp } from '../http/hono';
import { auditRoutes } from './audit';
import { adminAuth } from './auth';
import { caseTypeAdminRoutes } from './casetypes';
import { clientRoutes } from './clients';
import { operatorRoutes } from './operators';

export const adminRoutes = newApp()
  .use('*', adminAuth)
  .route('/operators', operatorRoutes)
  .route('/clients', clientRoutes)
  .route('/casetypes', caseTypeAdminRoutes)
  .route('/audit', auditRoutes);
