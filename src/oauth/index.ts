import { newApp } from '../http/hono';
import { jwksEndpoint } from './discovery';
import { tokenEndpoint } from './token';
import { introspectionEndpoint, revocationEndpoint } from './token-management';

/** Mounted at /oauth2/v1 and at Pega's /prweb/PRRestService/oauth2/v1. */
export const oauthRoutes = newApp()
  .post('/token', tokenEndpoint)
  .post('/revoke', revocationEndpoint)
  .post('/token/introspect', introspectionEndpoint)
  .get('/token/keys', jwksEndpoint);
