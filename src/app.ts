import { AUDIENCES } from './audiences';
import { consoleRoutes, landing } from './console';
import { withConfig } from './http/context';
import { cors } from './http/cors';
import { handleError, handleNotFound } from './http/errors';
import { newApp } from './http/hono';
import { mountAudience } from './http/operations';
import { transportGuard } from './http/transport';

export function createApp() {
  const app = newApp();
  app.use('*', transportGuard);
  // Liveness only: no config, no storage.
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.use('*', withConfig);
  // Browser clients call the token endpoint, discovery and the case API; never the admin API.
  for (const path of ['/oauth2/*', '/api/*', '/prweb/*', '/.well-known/*']) app.use(path, cors);

  for (const audience of AUDIENCES) mountAudience(app, audience);
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
