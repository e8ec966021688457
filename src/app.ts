import { adminRoutes } from './admin';
import { apiRoutes } from './api';
import { consoleRoutes, landing } from './console';
import { dxRoutes } from './dx';
import { withConfig } from './http/context';
import { cors } from './http/cors';
import { handleError, handleNotFound } from './http/errors';
import { newApp } from './http/hono';
import { transportGuard } from './http/transport';
import { oauthRoutes } from './oauth';
import { authorizationServerMetadata, protectedResourceMetadata } from './oauth/discovery';

export function createApp() {
  const app = newApp();
  app.use('*', transportGuard);
  // Liveness only: no config, no storage.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.use('*', withConfig);
  // Browser clients call the token endpoint, discovery and the case API; never the admin API.
  for (const path of ['/oauth2/*', '/api/*', '/prweb/*', '/.well-known/*']) app.use(path, cors);

  app.get('/.well-known/oauth-authorization-server', authorizationServerMetadata);
  // RFC 9728 §3.1: the resource is <issuer>/api/v1, so its metadata lives under that path too.
  app.get('/.well-known/oauth-protected-resource', protectedResourceMetadata);
  app.get('/.well-known/oauth-protected-resource/api/v1', protectedResourceMetadata);

  app.route('/oauth2/v1', oauthRoutes);
  app.route('/prweb/PRRestService/oauth2/v1', oauthRoutes);
  app.route('/api/v1', apiRoutes);
  app.route('/prweb/api/v1', apiRoutes);
  app.route('/api/application/v2', dxRoutes);
  app.route('/prweb/api/application/v2', dxRoutes);
  app.route('/admin/v1', adminRoutes);
  // The console's first page, whichever way the landing page's /admin/ is typed; it sends
  // anyone not signed in on to sign in.
  for (const entry of ['/admin', '/admin/']) {
    app.get(entry, (c) => c.redirect('/admin/clients', 303));
  }
  app.route('/admin', consoleRoutes);
  app.route('/', landing);

  app.notFound(handleNotFound);
  app.onError(handleError);
  return app;
}
